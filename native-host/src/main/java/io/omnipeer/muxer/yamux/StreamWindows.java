package io.omnipeer.muxer.yamux;

/**
 * Flow-control bookkeeping of one yamux stream, free of frames and channels: how much we may send, how much the
 * peer may still send, and when to return credit. Spec: libp2p/specs yamux/README.md, "Flow Control" — each
 * direction starts at {@link YamuxSession#INITIAL_WINDOW}; only Data payload counts; Window Update frames add a
 * delta. We give credit back only for bytes the application has read, once at least
 * {@link YamuxSession#WINDOW_UPDATE_THRESHOLD} bytes are due, so unread bytes never exceed the initial window.
 * Not thread-safe (event-loop confined).
 */
final class StreamWindows {
    private long send = YamuxSession.INITIAL_WINDOW;
    private long receive = YamuxSession.INITIAL_WINDOW;
    private int creditDue;

    long send() {
        return send;
    }

    long receive() {
        return receive;
    }

    /**
     * The peer sent {@code length} payload bytes.
     * @return false (window unchanged) if that exceeds what we granted — a flow-control violation
     */
    boolean onReceived(int length) {
        if (length > receive) {
            return false;
        }
        receive -= length;
        return true;
    }

    /**
     * The application consumed {@code length} bytes.
     * @return the delta to announce in a Window Update now, or 0 while below the threshold
     */
    int onConsumed(int length) {
        creditDue += length;
        if (creditDue < YamuxSession.WINDOW_UPDATE_THRESHOLD) {
            return 0;
        }
        int delta = creditDue;
        receive += delta;
        creditDue = 0;
        return delta;
    }

    /**
     * The peer granted {@code delta} more bytes.
     * @return false if the window would pass 2^32-1, which the 32-bit length field cannot express
     */
    boolean onGranted(long delta) {
        if (send + delta > YamuxFrame.MAX_LENGTH) {
            return false;
        }
        send += delta;
        return true;
    }

    /** How many of {@code wanted} bytes may go into the next Data frame of at most {@code maxFrame} bytes. */
    int sendable(int wanted, int maxFrame) {
        return (int) Math.min(Math.min(wanted, send), maxFrame);
    }

    /** {@code length} payload bytes went out. */
    void onSent(int length) {
        send -= length;
    }
}
