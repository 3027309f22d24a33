package io.omnipeer.rcmgr;

/**
 * What one scope holds now: open connections and streams by direction, reserved memory and storage bytes.
 * A snapshot; immutable.
 */
public record ScopeUsage(int connsInbound, int connsOutbound, int streamsInbound, int streamsOutbound, long memory,
                         long storage) {
    /** Nothing held. */
    public static final ScopeUsage NONE = new ScopeUsage(0, 0, 0, 0, 0, 0);

    public int conns() {
        return connsInbound + connsOutbound;
    }

    public int streams() {
        return streamsInbound + streamsOutbound;
    }
}
