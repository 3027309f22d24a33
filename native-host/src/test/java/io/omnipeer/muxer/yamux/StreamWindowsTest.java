package io.omnipeer.muxer.yamux;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** libp2p/specs yamux/README.md, "Flow Control", as bookkeeping. */
class StreamWindowsTest {
    private static final int W = YamuxSession.INITIAL_WINDOW;

    @Test
    void bothDirectionsStartAt256KiB() {
        StreamWindows w = new StreamWindows();
        assertThat(w.send()).isEqualTo(256 * 1024);
        assertThat(w.receive()).isEqualTo(256 * 1024);
    }

    @Test
    void receivingBeyondTheWindowIsAViolationAndChangesNothing() {
        StreamWindows w = new StreamWindows();
        assertThat(w.onReceived(W)).isTrue();
        assertThat(w.receive()).isZero();
        assertThat(w.onReceived(1)).isFalse();
        assertThat(w.receive()).isZero();
    }

    @Test
    void creditIsReturnedInChunksOfAtLeastHalfTheWindow() {
        StreamWindows w = new StreamWindows();
        w.onReceived(W);
        assertThat(w.onConsumed(W / 2 - 1)).isZero();
        assertThat(w.receive()).isZero();
        assertThat(w.onConsumed(1)).isEqualTo(W / 2);
        assertThat(w.receive()).isEqualTo(W / 2);
        assertThat(w.onConsumed(W / 2)).isEqualTo(W / 2);
        assertThat(w.receive()).isEqualTo(W);
    }

    @Test
    void sendingIsCappedByWindowAndFrameSize() {
        StreamWindows w = new StreamWindows();
        assertThat(w.sendable(1_000_000, 64 * 1024)).isEqualTo(64 * 1024);
        w.onSent(W - 100);
        assertThat(w.sendable(1_000, 64 * 1024)).isEqualTo(100);
        w.onSent(100);
        assertThat(w.sendable(1_000, 64 * 1024)).isZero();
        assertThat(w.onGranted(500)).isTrue();
        assertThat(w.sendable(1_000, 64 * 1024)).isEqualTo(500);
    }

    @Test
    void grantsBeyond32BitsAreRejected() {
        StreamWindows w = new StreamWindows();
        assertThat(w.onGranted(YamuxFrame.MAX_LENGTH - W)).isTrue();
        assertThat(w.send()).isEqualTo(YamuxFrame.MAX_LENGTH);
        assertThat(w.onGranted(1)).isFalse();
    }
}
