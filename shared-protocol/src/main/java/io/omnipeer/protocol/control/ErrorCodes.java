package io.omnipeer.protocol.control;

/**
 * Error codes of the control/bridge protocol. The 4xxx codes follow EIP-1193's provider errors so that a
 * page sees familiar numbers; the negative ones are JSON-RPC 2.0's (section 5.1).
 */
public final class ErrorCodes {
    /** The user rejected the request in the permission prompt (EIP-1193 4001). */
    public static final int USER_REJECTED = 4001;
    /** The origin holds no grant for what it asked (EIP-1193 4100). */
    public static final int UNAUTHORIZED = 4100;
    /** Unknown method (EIP-1193 4200). Methods a page may not call are {@link #UNAUTHORIZED}. */
    public static final int UNSUPPORTED_METHOD = 4200;
    /** A resource limit was hit (subscriptions per client, queue, frame size); temporary. */
    public static final int RESOURCE_LIMIT = 4290;
    /** The daemon is unreachable (EIP-1193 4900). */
    public static final int DISCONNECTED = 4900;
    /** The text was not JSON (JSON-RPC 2.0). */
    public static final int PARSE_ERROR = -32700;
    /** Valid JSON but not a JSON-RPC 2.0 request (JSON-RPC 2.0). */
    public static final int INVALID_REQUEST = -32600;
    /** Missing or malformed params (JSON-RPC 2.0). */
    public static final int INVALID_PARAMS = -32602;
    /** The daemon failed while handling a valid request (JSON-RPC 2.0). */
    public static final int INTERNAL_ERROR = -32603;

    private ErrorCodes() {
    }
}
