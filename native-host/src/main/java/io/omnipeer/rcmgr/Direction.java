package io.omnipeer.rcmgr;

/** Who opened a connection or stream: the remote peer ({@link #INBOUND}) or we ({@link #OUTBOUND}). */
public enum Direction {
    INBOUND,
    OUTBOUND;

    /** {@code inbound} or {@code outbound}, as limit names spell it. */
    public String label() {
        return this == INBOUND ? "inbound" : "outbound";
    }
}
