package io.omnipeer.protocol.control;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FramesTest {
    private static final byte[] HELLO = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);

    @Test
    void controlFrameIsBigEndianAndRoundTrips() throws Exception {
        byte[] frame = ControlFrames.encode(HELLO);
        assertThat(frame).startsWith(0, 0, 0, HELLO.length);
        var in = new ByteArrayInputStream(concat(frame, frame));
        assertThat(ControlFrames.read(in)).isEqualTo(HELLO);
        assertThat(ControlFrames.read(in)).isEqualTo(HELLO);
        assertThat(ControlFrames.read(in)).isNull();
    }

    @Test
    void nativeMessagingFrameIsLittleEndianAndRoundTrips() throws Exception {
        var out = new ByteArrayOutputStream();
        NativeMessagingFrames.writeToBrowser(out, HELLO);
        assertThat(out.toByteArray()).startsWith(HELLO.length, 0, 0, 0);
        assertThat(NativeMessagingFrames.read(new ByteArrayInputStream(out.toByteArray()))).isEqualTo(HELLO);
    }

    @Test
    void oversizedDeclaredLengthIsRefusedBeforeAllocating() {
        byte[] header = {0x01, 0x00, 0x00, 0x01}; // 16 MiB + 1, big-endian
        assertThatThrownBy(() -> ControlFrames.read(new ByteArrayInputStream(header)))
                .isInstanceOf(FrameException.class).hasMessageContaining("16777217");
        byte[] huge = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}; // 4 GiB - 1: unsigned, not negative
        assertThatThrownBy(() -> NativeMessagingFrames.read(new ByteArrayInputStream(huge)))
                .isInstanceOf(FrameException.class).hasMessageContaining("4294967295");
    }

    @Test
    void exactlyMaximumControlPayloadPasses() throws Exception {
        byte[] max = new byte[ControlFrames.MAX_PAYLOAD_BYTES];
        assertThat(ControlFrames.read(new ByteArrayInputStream(ControlFrames.encode(max)))).hasSize(max.length);
        assertThatThrownBy(() -> ControlFrames.encode(new byte[ControlFrames.MAX_PAYLOAD_BYTES + 1]))
                .isInstanceOf(FrameException.class);
    }

    @Test
    void hostToBrowserWriteRefusesMoreThanOneMebibyte() {
        assertThatThrownBy(() -> NativeMessagingFrames.writeToBrowser(new ByteArrayOutputStream(),
                new byte[NativeMessagingFrames.MAX_HOST_TO_BROWSER_BYTES + 1])).isInstanceOf(FrameException.class);
    }

    @Test
    void truncatedFramesAreErrorsNotEndOfStream() {
        assertThatThrownBy(() -> ControlFrames.read(new ByteArrayInputStream(new byte[]{0, 0})))
                .isInstanceOf(FrameException.class).hasMessageContaining("header");
        assertThatThrownBy(() -> ControlFrames.read(new ByteArrayInputStream(new byte[]{0, 0, 0, 9, 1, 2})))
                .isInstanceOf(FrameException.class).hasMessageContaining("9-byte");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
