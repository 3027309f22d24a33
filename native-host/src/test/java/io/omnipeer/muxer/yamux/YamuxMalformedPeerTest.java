package io.omnipeer.muxer.yamux;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import org.junit.jupiter.api.Test;

/**
 * A hand-driven yamux peer on a plain socket against a {@link YamuxSession} listener: session violations end in
 * Go Away (protocol error), stream violations only reset the stream. libp2p/specs yamux/README.md.
 */
class YamuxMalformedPeerTest {
    record Header(int type, int flags, int streamId, long length) {
    }

    private static final class RawPeer implements AutoCloseable {
        final Socket socket;
        final DataInputStream in;
        final OutputStream out;

        RawPeer(YamuxLoopback net) throws IOException {
            socket = new Socket(net.address().getAddress(), net.address().getPort());
            socket.setSoTimeout(15_000);
            in = new DataInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        }

        void send(int version, int type, int flags, int streamId, long length, byte[] payload) throws IOException {
            ByteBuf buf = Unpooled.buffer();
            buf.writeByte(version).writeByte(type).writeShort(flags).writeInt(streamId).writeInt((int) length);
            buf.writeBytes(payload);
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            out.write(bytes);
            out.flush();
        }

        void send(int type, int flags, int streamId, long length) throws IOException {
            send(0, type, flags, streamId, length, new byte[0]);
        }

        void sendData(int streamId, int n) throws IOException {
            send(0, 0, 0, streamId, n, new byte[n]);
        }

        Header read() throws IOException {
            int version = in.readUnsignedByte();
            assertThat(version).isZero();
            Header h = new Header(in.readUnsignedByte(), in.readUnsignedShort(), in.readInt(), in.readInt() & 0xFFFFFFFFL);
            if (h.type() == 0) {
                in.skipNBytes(h.length());
            }
            return h;
        }

        /** Next frame other than a Window Update without flags (credit returns). */
        Header readSignificant() throws IOException {
            Header h;
            do {
                h = read();
            } while (h.type() == 1 && h.flags() == 0);
            return h;
        }

        boolean closedByPeer() throws IOException {
            return in.read() == -1;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static final int DATA = 0;
    private static final int WINDOW_UPDATE = 1;
    private static final int PING = 2;
    private static final int GO_AWAY = 3;

    @Test
    void unknownVersionEndsTheSessionWithGoAwayProtocolError() throws Exception {
        try (YamuxLoopback net = new YamuxLoopback(8, s -> { }); RawPeer peer = new RawPeer(net)) {
            peer.send(1, PING, YamuxFrame.SYN, 0, 1, new byte[0]);
            assertThat(peer.read()).isEqualTo(new Header(GO_AWAY, 0, 0, YamuxFrame.GO_AWAY_PROTOCOL_ERROR));
            assertThat(peer.closedByPeer()).isTrue();
        }
    }

    @Test
    void streamIdOfTheWrongParityEndsTheSession() throws Exception {
        try (YamuxLoopback net = new YamuxLoopback(8, s -> { }); RawPeer peer = new RawPeer(net)) {
            peer.send(WINDOW_UPDATE, YamuxFrame.SYN, 2, 0);
            assertThat(peer.read()).isEqualTo(new Header(GO_AWAY, 0, 0, YamuxFrame.GO_AWAY_PROTOCOL_ERROR));
            assertThat(peer.closedByPeer()).isTrue();
        }
    }

    @Test
    void pingIsAnsweredWithTheSameOpaqueValue() throws Exception {
        try (YamuxLoopback net = new YamuxLoopback(8, s -> { }); RawPeer peer = new RawPeer(net)) {
            peer.send(PING, YamuxFrame.SYN, 0, 0xCAFEBABEL);
            assertThat(peer.read()).isEqualTo(new Header(PING, YamuxFrame.ACK, 0, 0xCAFEBABEL));
        }
    }

    @Test
    void dataBeyondTheWindowResetsOnlyThatStream() throws Exception {
        try (YamuxLoopback net = new YamuxLoopback(8, s -> s.config().setAutoRead(false)); RawPeer peer = new RawPeer(net)) {
            peer.send(WINDOW_UPDATE, YamuxFrame.SYN, 1, 0);
            assertThat(peer.read()).isEqualTo(new Header(WINDOW_UPDATE, YamuxFrame.ACK, 1, 0));
            for (int i = 0; i < 4; i++) {
                peer.sendData(1, YamuxSession.INITIAL_WINDOW / 4);
            }
            peer.sendData(1, 1);
            assertThat(peer.readSignificant()).isEqualTo(new Header(WINDOW_UPDATE, YamuxFrame.RST, 1, 0));
            peer.send(DATA, YamuxFrame.SYN, 3, 0);
            assertThat(peer.readSignificant()).isEqualTo(new Header(WINDOW_UPDATE, YamuxFrame.ACK, 3, 0));
        }
    }

    @Test
    void dataAfterFinResetsTheStream() throws Exception {
        try (YamuxLoopback net = new YamuxLoopback(8, s -> { }); RawPeer peer = new RawPeer(net)) {
            peer.send(WINDOW_UPDATE, YamuxFrame.SYN | YamuxFrame.FIN, 1, 0);
            assertThat(peer.read()).isEqualTo(new Header(WINDOW_UPDATE, YamuxFrame.ACK, 1, 0));
            peer.sendData(1, 10);
            assertThat(peer.readSignificant()).isEqualTo(new Header(WINDOW_UPDATE, YamuxFrame.RST, 1, 0));
        }
    }

    @Test
    void streamsBeyondTheCapAreRefusedWithRst() throws Exception {
        try (YamuxLoopback net = new YamuxLoopback(2, s -> { }); RawPeer peer = new RawPeer(net)) {
            peer.send(WINDOW_UPDATE, YamuxFrame.SYN, 1, 0);
            peer.send(WINDOW_UPDATE, YamuxFrame.SYN, 3, 0);
            peer.send(WINDOW_UPDATE, YamuxFrame.SYN, 5, 0);
            assertThat(peer.read()).isEqualTo(new Header(WINDOW_UPDATE, YamuxFrame.ACK, 1, 0));
            assertThat(peer.read()).isEqualTo(new Header(WINDOW_UPDATE, YamuxFrame.ACK, 3, 0));
            assertThat(peer.read()).isEqualTo(new Header(WINDOW_UPDATE, YamuxFrame.RST, 5, 0));
            peer.send(PING, YamuxFrame.SYN, 0, 9);
            assertThat(peer.read()).isEqualTo(new Header(PING, YamuxFrame.ACK, 0, 9));
        }
    }

    @Test
    void aPeerThatNeverAnswersKeepalivePingsIsDropped() throws Exception {
        try (YamuxLoopback net = new YamuxLoopback(8, s -> { }, java.time.Duration.ofMillis(300)); RawPeer peer = new RawPeer(net)) {
            Header ping = peer.read();
            assertThat(ping.type()).isEqualTo(PING);
            assertThat(ping.flags()).isEqualTo(YamuxFrame.SYN);
            assertThat(peer.closedByPeer()).isTrue();
        }
    }

    @Test
    void aPeerThatAnswersKeepalivePingsStays() throws Exception {
        try (YamuxLoopback net = new YamuxLoopback(8, s -> { }, java.time.Duration.ofMillis(200)); RawPeer peer = new RawPeer(net)) {
            for (int i = 0; i < 4; i++) {
                Header ping = peer.read();
                assertThat(ping.type()).isEqualTo(PING);
                peer.send(PING, YamuxFrame.ACK, 0, ping.length());
            }
            peer.send(PING, YamuxFrame.SYN, 0, 77);
            Header h;
            do {
                h = peer.read();
            } while (h.flags() == YamuxFrame.SYN);
            assertThat(h).isEqualTo(new Header(PING, YamuxFrame.ACK, 0, 77));
        }
    }

    @Test
    void windowUpdateWithSynGrowsTheSendWindowAsJsLibp2pDoes() throws Exception {
        java.util.concurrent.CompletableFuture<YamuxStreamChannel> inbound = new java.util.concurrent.CompletableFuture<>();
        try (YamuxLoopback net = new YamuxLoopback(8, inbound::complete); RawPeer peer = new RawPeer(net)) {
            peer.send(WINDOW_UPDATE, YamuxFrame.SYN, 1, 1024 * 1024);
            assertThat(peer.read()).isEqualTo(new Header(WINDOW_UPDATE, YamuxFrame.ACK, 1, 0));
            YamuxStreamChannel stream = inbound.get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(stream.parent().eventLoop().submit(stream::sendWindow).get()).isEqualTo(YamuxSession.INITIAL_WINDOW + 1024 * 1024L);
        }
    }
}
