package io.omnipeer.dht;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.omnipeer.core.Multiaddr;
import io.omnipeer.core.PeerId;
import io.omnipeer.core.Stream;
import io.omnipeer.core.Varint;
import io.omnipeer.core.codec.UvarintFrameDecoder;
import io.omnipeer.core.codec.UvarintFrames;
import io.omnipeer.core.crypto.Ed25519PrivateKey;
import io.omnipeer.dht.pb.DhtProtos.Message;
import io.omnipeer.dht.pb.DhtProtos.Record;
import io.omnipeer.host.DefaultHost;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A hand-driven peer sends garbage, oversized frames and invalid records to a real DHT node, and another answers
 * lookups with thousands of closer peers. Each bad stream is reset on its own; the node keeps answering an honest
 * peer. Spec: libp2p/specs kad-dht/README.md, "RPC messages" ("On any error, the stream is reset").
 */
class KadDhtHostileInputTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private final DhtLoopbackNet net = new DhtLoopbackNet();
    private KadDht victim;
    private KadDht honest;
    private DefaultHost raw;

    @BeforeEach
    void setUp() throws Exception {
        victim = net.dht(DhtLoopbackNet.testConfig());
        honest = net.dht(DhtLoopbackNet.testConfig());
        raw = net.host();
        new io.omnipeer.protocol.identify.IdentifyService(raw);
        DhtLoopbackNet.connect(net.hosts.get(1), net.hosts.get(0));
        await().atMost(WAIT).until(() -> victim.routingTable().contains(net.hosts.get(1).peerId()));
    }

    @AfterEach
    void tearDown() throws Exception {
        net.close();
    }

    private Stream rawStream() throws Exception {
        DhtLoopbackNet.connect(raw, net.hosts.get(0));
        return raw.newStream(victim.kademlia().self(), KadDht.PROTOCOL).get(10, TimeUnit.SECONDS);
    }

    private void assertVictimStillServes() throws Exception {
        Message ping = Message.newBuilder().setType(Message.MessageType.FIND_NODE)
                .setKey(ByteString.copyFrom(net.hosts.get(1).peerId().bytes())).build();
        Message answer = honest.kademlia().network().request(
                new DhtPeer(victim.kademlia().self(), net.hosts.get(0).listenAddresses()), ping).get(10, TimeUnit.SECONDS);
        assertThat(answer.getType()).isEqualTo(Message.MessageType.FIND_NODE);
    }

    @Test
    void garbageResetsOnlyThatStream() throws Exception {
        Stream s = rawStream();
        byte[] junk = new byte[300];
        new Random(1).nextBytes(junk);
        junk[0] = (byte) 0xff; // not a valid protobuf tag sequence for Message
        s.channel().writeAndFlush(UvarintFrames.frame(s.channel().alloc(), junk));
        await().atMost(WAIT).until(() -> !s.channel().isActive());
        assertVictimStillServes();
    }

    @Test
    void oversizedFrameIsRefusedBeforeItArrives() throws Exception {
        Stream s = rawStream();
        ByteBuf prefix = Unpooled.buffer();
        Varint.write(50L * 1024 * 1024, prefix);
        s.channel().writeAndFlush(prefix);
        await().atMost(WAIT).until(() -> !s.channel().isActive());
        assertVictimStillServes();
    }

    @Test
    void invalidRecordIsRejectedAndNotStored() throws Exception {
        Stream s = rawStream();
        byte[] key = AppRecordValidator.keyFor("web-x", "k");
        byte[] forged = AppRecordValidator.sign(Ed25519PrivateKey.generate(), "/omnipeer/app/web-x/other".getBytes(
                StandardCharsets.UTF_8), "x".getBytes(StandardCharsets.UTF_8), 1);
        Message put = Message.newBuilder().setType(Message.MessageType.PUT_VALUE).setKey(ByteString.copyFrom(key))
                .setRecord(Record.newBuilder().setKey(ByteString.copyFrom(key)).setValue(ByteString.copyFrom(forged)))
                .build();
        s.channel().writeAndFlush(UvarintFrames.frame(s.channel().alloc(), put.toByteArray()));
        await().atMost(WAIT).until(() -> !s.channel().isActive());
        assertThat(victim.kademlia().records().get(key)).isEmpty();
        assertVictimStillServes();
    }

    @Test
    void severalRequestsOnOneStreamAreAnsweredInOrder() throws Exception {
        Stream s = rawStream();
        java.util.List<Message> answers = new java.util.concurrent.CopyOnWriteArrayList<>();
        s.channel().pipeline().addLast(new UvarintFrameDecoder(DhtCodec.MAX_MESSAGE_BYTES),
                new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ByteBuf b = (ByteBuf) msg;
                        answers.add(DhtCodec.decode(io.netty.buffer.ByteBufUtil.getBytes(b)));
                        b.release();
                    }
                });
        for (Message.MessageType t : new Message.MessageType[] {Message.MessageType.PING, Message.MessageType.FIND_NODE,
                Message.MessageType.GET_PROVIDERS}) {
            Message m = Message.newBuilder().setType(t).setKey(ByteString.copyFrom(
                    io.omnipeer.core.Multihash.sha256(new byte[] {1}).bytes())).build();
            s.channel().writeAndFlush(UvarintFrames.frame(s.channel().alloc(), m.toByteArray()));
        }
        await().atMost(WAIT).until(() -> answers.size() == 3);
        assertThat(answers).extracting(Message::getType).containsExactly(Message.MessageType.PING,
                Message.MessageType.FIND_NODE, Message.MessageType.GET_PROVIDERS);
        assertThat(answers.get(1).getCloserPeersList()).isNotEmpty();
    }

    @Test
    void aPeerAnsweringWithThousandsOfCloserPeersIsDroppedAndTheLookupEnds() throws Exception {
        raw.setStreamHandler(KadDht.PROTOCOL, stream -> stream.channel().pipeline().addLast(
                new UvarintFrameDecoder(DhtCodec.MAX_MESSAGE_BYTES), new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ((ByteBuf) msg).release();
                        Message.Builder flood = Message.newBuilder().setType(Message.MessageType.FIND_NODE);
                        for (int i = 0; i < 3000; i++) {
                            PeerId fake = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
                            flood.addCloserPeers(new DhtPeer(fake, java.util.List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/9")))
                                    .toProto(Message.ConnectionType.CAN_CONNECT));
                        }
                        ctx.writeAndFlush(UvarintFrames.frame(ctx.alloc(), flood.build().toByteArray()));
                    }
                }));
        DhtLoopbackNet.connect(raw, net.hosts.get(0));
        PeerId liar = raw.peerId();
        await().atMost(WAIT).until(() -> victim.routingTable().contains(liar));
        LookupResult r = victim.findClosest(new byte[] {7, 7, 7}).get(60, TimeUnit.SECONDS);
        assertThat(r.closest()).extracting(DhtPeer::id).doesNotContain(liar);
        assertThat(victim.routingTable().contains(liar)).isFalse();
        assertVictimStillServes();
    }
}
