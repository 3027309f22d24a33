package io.omnipeer.protocol.control;

/**
 * A failure that travels to the caller as a structured {@link RpcError}: thrown by method handlers in the
 * daemon and by clients when the daemon answered with an error. The message is a one-line explanation
 * meant for the user.
 */
public class RpcException extends RuntimeException {
    private final int code;

    public RpcException(int code, String message) {
        super(message);
        this.code = code;
    }

    public RpcException(RpcError error) {
        this(error.code(), error.message());
    }

    /** A code from {@link ErrorCodes}. */
    public int code() {
        return code;
    }

    public RpcError toError() {
        return new RpcError(code, getMessage());
    }
}
