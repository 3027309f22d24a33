package io.omnipeer.rcmgr;

/**
 * A reservation would pass a limit; nothing was reserved. Temporary: the same request may succeed once other
 * connections, streams or bytes are released. The control socket turns it into error 4290 with
 * {@code data:{limit, scope, current, max}} (API.md, "resource manager").
 */
public final class ResourceLimitException extends RuntimeException {
    private final String limit;
    private final String scope;
    private final long current;
    private final long max;

    /**
     * @param limit   which limit, e.g. {@code streams outbound}, {@code memory}, {@code storage}
     * @param scope   the scope whose limit it is, e.g. {@code system}, {@code app:org.example.chat}, {@code peer:12D3…}
     * @param current what the scope held before the refused reservation (count, or bytes)
     * @param max     the limit
     * @param requested what was asked for (1 for a connection or stream, bytes for memory and storage)
     */
    public ResourceLimitException(String limit, String scope, long current, long max, long requested) {
        super(scope + ": " + limit + " limit reached (" + current + " in use, max " + max
                + (requested == 1 ? "" : ", " + requested + " more requested") + ")");
        this.limit = limit;
        this.scope = scope;
        this.current = current;
        this.max = max;
    }

    public String limit() {
        return limit;
    }

    public String scope() {
        return scope;
    }

    public long current() {
        return current;
    }

    public long max() {
        return max;
    }
}
