package io.omnipeer.protocol.control;

/**
 * A failure that travels to the caller as a structured {@link RpcError}: thrown by method handlers in the
 * daemon and by clients when the daemon answered with an error. The message is a one-line explanation
 * meant for the user.
 */
public class RpcException extends RuntimeException {
    private final int code;
    private final RpcError error;

    public RpcException(int code, String message) {
        super(message);
        this.code = code;
        this.error = null;
    }

    /** Keeps the error's {@code data} (e.g. a 4290's {@code {limit, current, max}}) for {@link #toError()}. */
    public RpcException(RpcError error) {
        super(error.message());
        this.code = error.code();
        this.error = error;
    }

    /** A code from {@link ErrorCodes}. */
    public int code() {
        return code;
    }

    public RpcError toError() {
        return error != null ? error : new RpcError(code, getMessage());
    }
}
