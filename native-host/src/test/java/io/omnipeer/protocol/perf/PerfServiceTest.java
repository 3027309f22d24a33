package io.omnipeer.protocol.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.omnipeer.core.Connection;
import io.omnipeer.core.Multiaddr;
import io.omnipeer.core.Stream;
import io.omnipeer.core.crypto.Ed25519PrivateKey;
import io.omnipeer.host.DefaultHost;
import io.omnipeer.host.InMemoryPeerstore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** perf.md between two real hosts over TCP + Noise + yamux on loopback. */
class PerfServiceTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int MIB = 1024 * 1024;

    private DefaultHost client;
    private DefaultHost server;
    private PerfService clientPerf;
    private Connection connection;

    @BeforeEach
    void start() throws Exception {
        client = host();
        server = host();
        clientPerf = new PerfService(client);
        connection = client.dial(server.listenAddresses().get(0).withPeerId(server.peerId())).get(20, TimeUnit.SECONDS);
    }

    private static DefaultHost host() throws Exception {
        DefaultHost h = new DefaultHost(Ed25519PrivateKey.generate(), new InMemoryPeerstore(), "omnipeer-test/0");
        h.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")).get(10, TimeUnit.SECONDS);
        return h;
    }

    @AfterEach
    void stop() throws Exception {
        client.close().get(20, TimeUnit.SECONDS);
        server.close().get(20, TimeUnit.SECONDS);
    }

    private PerfResult run(long up, long down) throws Exception {
        return clientPerf.run(server.peerId(), up, down).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void uploadThenDownloadMovesExactlyWhatWasAsked() throws Exception {
        PerfService serverPerf = new PerfService(server);
        PerfResult up = run(8L * MIB, 0);
        PerfResult down = run(0, 8L * MIB);
        PerfResult both = run(3L * MIB + 17, MIB - 5);
        PerfResult none = run(0, 0);

        assertThat(up.uploadBytes()).isEqualTo(8L * MIB);
        assertThat(up.downloadBytes()).isZero();
        assertThat(down.downloadBytes()).isEqualTo(8L * MIB);
        assertThat(both.uploadBytes()).isEqualTo(3L * MIB + 17);
        assertThat(both.downloadBytes()).isEqualTo(MIB - 5);
        assertThat(none.uploadBytes() + none.downloadBytes()).isZero();
        for (PerfResult r : List.of(up, down, both, none)) {
            assertThat(r.total()).isGreaterThanOrEqualTo(r.upload());
            assertThat(r.gbps()).isNotNegative();
        }
        await().atMost(WAIT).until(() -> serverPerf.activeInboundStreams() == 0);
        System.out.printf("FIGURE perf 8 MiB over one stream: upload %.2f Gb/s, download %.2f Gb/s%n",
                up.gbps(), down.gbps());
    }

    @Test
    void sixteenParallelStreamsOnOneConnection() throws Exception {
        PerfService serverPerf = new PerfService(server);
        List<CompletableFuture<PerfResult>> runs = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            runs.add(clientPerf.run(connection, MIB / 2, MIB));
        }
        CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        for (CompletableFuture<PerfResult> r : runs) {
            assertThat(r.join().downloadBytes()).isEqualTo(MIB);
            assertThat(r.join().uploadBytes()).isEqualTo(MIB / 2);
        }
        assertThat(client.connections()).hasSize(1);
        await().atMost(WAIT).until(() -> serverPerf.activeInboundStreams() == 0);
    }

    @Test
    void serverResetsAStreamThatEndsInsideTheHeader() throws Exception {
        PerfService serverPerf = new PerfService(server);
        Stream raw = client.newStream(server.peerId(), PerfService.PROTOCOL_ID).get(20, TimeUnit.SECONDS);
        raw.channel().writeAndFlush(Unpooled.wrappedBuffer(new byte[] {0, 0, 1}));
        raw.closeWrite();
        assertThat(raw.channel().closeFuture().awaitUninterruptibly(WAIT.toMillis())).isTrue();
        await().atMost(WAIT).until(() -> serverPerf.activeInboundStreams() == 0);
        // The connection survives a bad stream.
        assertThat(run(0, 1000).downloadBytes()).isEqualTo(1000);
    }

    @Test
    void clientFailsWhenTheServerSendsLessThanAsked() {
        server.setStreamHandler(PerfService.PROTOCOL_ID, s -> s.channel().pipeline().addLast(new MisbehavingServer(s, 10)));
        assertThatThrownBy(() -> run(100, 1000)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(PerfException.class).hasMessageContaining("10 of 1000");
    }

    @Test
    void clientFailsWhenTheServerSendsMoreThanAsked() {
        server.setStreamHandler(PerfService.PROTOCOL_ID, s -> s.channel().pipeline().addLast(new MisbehavingServer(s, 2000)));
        assertThatThrownBy(() -> run(0, 1000)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(PerfException.class).hasMessageContaining("more than the 1000");
    }

    @Test
    void closedServiceNoLongerAnswers() throws Exception {
        PerfService serverPerf = new PerfService(server);
        serverPerf.close();
        assertThat(server.supportedProtocols()).doesNotContain(PerfService.PROTOCOL_ID);
        assertThatThrownBy(() -> run(1, 1)).isInstanceOf(ExecutionException.class);
    }

    /** Answers perf with a fixed number of bytes whatever was asked, then closes. */
    private static final class MisbehavingServer extends ChannelInboundHandlerAdapter {
        private final Stream stream;
        private final int answer;

        MisbehavingServer(Stream stream, int answer) {
            this.stream = stream;
            this.answer = answer;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ((ByteBuf) msg).release();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt == ChannelInputShutdownEvent.INSTANCE) {
                ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[answer]));
                stream.close();
            }
        }
    }
}
