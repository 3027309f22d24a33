package io.omnipeer.control;

import static io.omnipeer.control.ControlParams.params;
import static io.omnipeer.control.ControlParams.page;

import com.fasterxml.jackson.databind.JsonNode;
import io.omnipeer.node.OverlayNode;
import io.omnipeer.protocol.control.ErrorCodes;
import io.omnipeer.protocol.control.JsonRpcCodec;
import io.omnipeer.protocol.control.JsonRpcMessage;
import io.omnipeer.protocol.control.Methods;
import io.omnipeer.protocol.control.RpcException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * streams.* between two daemons, each a real {@link OverlayNode} on loopback TCP, driven only through their
 * control sockets as the extension drives them: a page on B handles a protocol, a page of the same origin on A
 * opens a stream to B, they exchange data both ways, half-close, revoke and disconnect.
 */
class StreamControlTest {
    private static final String PAGE = "https://chat.example";
    private static final String OTHER = "https://other.example";
    private static final String PROTOCOL = "chat/1.0.0";
    private static final Base64.Encoder B64 = Base64.getEncoder();

    @TempDir
    Path tmp;
    private final List<RunningDaemon> running = new ArrayList<>();
    private RunningDaemon a;
    private RunningDaemon b;

    @BeforeEach
    void startTwo() throws Exception {
        a = RunningDaemon.start(tmp.resolve("a"));
        b = RunningDaemon.start(tmp.resolve("b"));
        running.add(a);
        running.add(b);
        a.connectTo(b);
        for (RunningDaemon r : running) {
            r.client().call(Methods.GRANTS_ADD, params().put("origin", PAGE)
                    .set("capabilities", JsonRpcCodec.mapper().createArrayNode().add("stream:" + PROTOCOL)));
        }
    }

    @AfterEach
    void stopAll() throws Exception {
        for (RunningDaemon r : running) {
            r.close();
        }
    }

    /** The next notification of {@code method}, skipping others (bounded). */
    private static JsonRpcMessage.Notification next(RunningDaemon r, String method) throws InterruptedException {
        for (int i = 0; i < 10_000; i++) {
            JsonRpcMessage.Notification n = r.notifications().poll(30, TimeUnit.SECONDS);
            assertThat(n).as("waiting for " + method).isNotNull();
            if (n.method().equals(method)) {
                return n;
            }
        }
        throw new AssertionError("no " + method);
    }

    /** Collects {@code stream}'s data until {@code bytes} arrived (or it closed); returns what arrived. */
    private static byte[] read(RunningDaemon r, String stream, int bytes) throws InterruptedException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (out.size() < bytes) {
            JsonRpcMessage.Notification n = r.notifications().poll(30, TimeUnit.SECONDS);
            assertThat(n).as("data of " + stream + " after " + out.size() + " bytes").isNotNull();
            if (!stream.equals(n.params().path("stream").asText())) {
                continue;
            }
            if (n.method().equals(Methods.STREAMS_CLOSED)) {
                break;
            }
            if (n.method().equals(Methods.STREAMS_DATA)) {
                out.writeBytes(Base64.getDecoder().decode(n.params().get("data").asText()));
            }
        }
        return out.toByteArray();
    }

    private String handleOnB() throws Exception {
        return b.client().call(Methods.STREAMS_HANDLE, page(PAGE).put("protocol", PROTOCOL)).get("handler").asText();
    }

    private String openFromA() throws Exception {
        return a.client().call(Methods.STREAMS_OPEN, page(PAGE).put("peerId", b.node().peerId().toBase58())
                .put("protocol", PROTOCOL)).get("stream").asText();
    }

    private void write(RunningDaemon r, String stream, byte[] data) throws Exception {
        r.client().call(Methods.STREAMS_WRITE, page(PAGE).put("stream", stream).put("data", B64.encodeToString(data)));
    }

    @Test
    void pagesExchangeDataBothWaysThenHalfCloseEachSide() throws Exception {
        String handler = handleOnB();
        String atA = openFromA();
        write(a, atA, "hello".getBytes(StandardCharsets.UTF_8));

        JsonRpcMessage.Notification incoming = next(b, Methods.STREAMS_INCOMING);
        assertThat(incoming.params().get("handler").asText()).isEqualTo(handler);
        assertThat(incoming.params().get("protocol").asText()).isEqualTo(PROTOCOL);
        assertThat(incoming.params().get("peerId").asText()).isEqualTo(a.node().peerId().toBase58());
        String atB = incoming.params().get("stream").asText();
        assertThat(new String(read(b, atB, 5), StandardCharsets.UTF_8)).isEqualTo("hello");

        write(b, atB, "world".getBytes(StandardCharsets.UTF_8));
        assertThat(new String(read(a, atA, 5), StandardCharsets.UTF_8)).isEqualTo("world");

        // 4 MiB each way, in 256 KiB writes, intact and in order
        byte[] bulk = new byte[4 << 20];
        new Random(7).nextBytes(bulk);
        for (int off = 0; off < bulk.length; off += 256 * 1024) {
            write(a, atA, Arrays.copyOfRange(bulk, off, off + 256 * 1024));
        }
        a.client().call(Methods.STREAMS_CLOSE, page(PAGE).put("stream", atA));
        assertThat(read(b, atB, bulk.length)).isEqualTo(bulk);
        JsonRpcMessage.Notification fin = next(b, Methods.STREAMS_CLOSED);
        assertThat(fin.params().get("stream").asText()).isEqualTo(atB);
        assertThat(fin.params().has("reason")).as("a remote FIN has no reason").isFalse();

        // B can still write after A's FIN, then closes its side too
        for (int off = 0; off < bulk.length; off += 256 * 1024) {
            write(b, atB, Arrays.copyOfRange(bulk, off, off + 256 * 1024));
        }
        b.client().call(Methods.STREAMS_CLOSE, page(PAGE).put("stream", atB));
        assertThat(read(a, atA, bulk.length)).isEqualTo(bulk);
        assertThat(next(a, Methods.STREAMS_CLOSED).params().has("reason")).isFalse();
    }

    @Test
    void pagesWithoutGrantOrOutsideTheirNamespaceAreRefused() throws Exception {
        handleOnB();
        String peer = b.node().peerId().toBase58();
        assertThatThrownBy(() -> a.client().call(Methods.STREAMS_OPEN, page(OTHER).put("peerId", peer)
                .put("protocol", PROTOCOL))).isInstanceOfSatisfying(RpcException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCodes.UNAUTHORIZED));
        for (String crafted : new String[]{"/omnipeer/app/x/" + PROTOCOL, "../" + PROTOCOL, "a/../../b", "a//b",
                "chat 1.0.0", "chat\n"}) {
            a.client().call(Methods.GRANTS_ADD, params().put("origin", OTHER)
                    .set("capabilities", JsonRpcCodec.mapper().createArrayNode().add("stream:" + crafted.trim())));
            assertThatThrownBy(() -> a.client().call(Methods.STREAMS_OPEN, page(OTHER).put("peerId", peer)
                    .put("protocol", crafted))).as(crafted).isInstanceOfSatisfying(RpcException.class,
                    e -> assertThat(e.code()).isIn(ErrorCodes.INVALID_PARAMS, ErrorCodes.UNAUTHORIZED));
        }
        // OTHER, granted the same short name, lands in its own namespace: B's handler for PAGE never sees it
        a.client().call(Methods.GRANTS_ADD, params().put("origin", OTHER)
                .set("capabilities", JsonRpcCodec.mapper().createArrayNode().add("stream:" + PROTOCOL)));
        assertThatThrownBy(() -> a.client().call(Methods.STREAMS_OPEN, page(OTHER).put("peerId", peer)
                .put("protocol", PROTOCOL))).isInstanceOfSatisfying(RpcException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCodes.INTERNAL_ERROR));
        // one origin cannot touch another's stream ids
        String mine = openFromA();
        assertThatThrownBy(() -> a.client().call(Methods.STREAMS_WRITE, page(OTHER).put("stream", mine)
                .put("data", "aGk="))).isInstanceOfSatisfying(RpcException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCodes.INVALID_PARAMS));
        // a protocol has one handler: a second one is refused until the first is gone
        assertThatThrownBy(this::handleOnB).isInstanceOfSatisfying(RpcException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCodes.INVALID_PARAMS));
    }

    @Test
    void revokingTheGrantClosesOpenStreamsAndHandlersAtOnce() throws Exception {
        handleOnB();
        String atA = openFromA();
        write(a, atA, new byte[]{1});
        String atB = next(b, Methods.STREAMS_INCOMING).params().get("stream").asText();

        b.client().call(Methods.GRANTS_REVOKE, params().put("origin", PAGE).put("capability", "stream:" + PROTOCOL));
        JsonRpcMessage.Notification closed = next(b, Methods.STREAMS_CLOSED);
        assertThat(closed.params().get("stream").asText()).isEqualTo(atB);
        assertThat(closed.params().get("reason").asText()).isEqualTo("permission revoked");
        JsonRpcMessage.Notification reset = next(a, Methods.STREAMS_CLOSED);
        assertThat(reset.params().get("stream").asText()).isEqualTo(atA);
        assertThat(reset.params().get("reason").asText()).isEqualTo("reset");
        // B no longer handles the protocol, and the page there cannot use it
        assertThatThrownBy(this::openFromA).isInstanceOf(RpcException.class);
        assertThatThrownBy(this::handleOnB).isInstanceOfSatisfying(RpcException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCodes.UNAUTHORIZED));
    }

    @Test
    void aClientThatDisconnectsLeavesNoStreamsOrHandlersBehind() throws Exception {
        handleOnB();
        String atA = openFromA();
        write(a, atA, new byte[]{1});
        next(b, Methods.STREAMS_INCOMING);
        b.client().close();
        assertThat(next(a, Methods.STREAMS_CLOSED).params().get("reason").asText()).isEqualTo("reset");

        b = b.reconnect();
        running.set(1, b);
        handleOnB();
        String second = openFromA();
        write(a, second, "again".getBytes(StandardCharsets.UTF_8));
        String atB = next(b, Methods.STREAMS_INCOMING).params().get("stream").asText();
        assertThat(new String(read(b, atB, 5), StandardCharsets.UTF_8)).isEqualTo("again");
    }
}
