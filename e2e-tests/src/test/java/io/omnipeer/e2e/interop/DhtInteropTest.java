package io.omnipeer.e2e.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.omnipeer.core.Multiaddr;
import io.omnipeer.core.Multihash;
import io.omnipeer.core.PeerId;
import io.omnipeer.dht.AppRecordValidator;
import io.omnipeer.dht.DhtPeer;
import io.omnipeer.dht.KadDht;
import io.omnipeer.dht.LookupResult;
import io.omnipeer.node.NodeConfig;
import io.omnipeer.node.OverlayNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One Kademlia network of five Omnipeer nodes ({@link OverlayNode}, mDNS off) and three js-libp2p nodes
 * (@libp2p/kad-dht 16, server mode, /ipfs/kad/1.0.0), all joined through Omnipeer node 0 on loopback: find-peer,
 * put/get of signed app records and provide/find-providers work in both directions between nodes that never
 * dialled each other. Lookup figures (ours: hops and ms; js: ms) are printed as {@code DHT-FIGURES} lines.
 */
class DhtInteropTest {
    static final int OURS = 5;
    static final int JS = 3;
    static final Duration WAIT = Duration.ofSeconds(60);
    static final List<OverlayNode> nodes = new ArrayList<>();
    static final List<JsPeer> js = new ArrayList<>();
    @TempDir
    static Path dir;

    @BeforeAll
    static void form() throws Exception {
        for (int i = 0; i < OURS; i++) {
            nodes.add(OverlayNode.start(new NodeConfig(dir.resolve("n" + i), List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")),
                    List.of(), false, null, "omnipeer-dht-interop/0.1")));
        }
        for (int i = 0; i < JS; i++) {
            js.add(JsPeer.start(JsPeer.Options.defaults().withDht()));
        }
        OverlayNode hub = nodes.getFirst();
        Multiaddr hubAddr = hub.listenAddresses().getFirst().withPeerId(hub.peerId());
        for (OverlayNode n : nodes.subList(1, OURS)) {
            n.connect(hubAddr).get(10, TimeUnit.SECONDS);
        }
        for (JsPeer p : js) {
            p.dial(hubAddr);
        }
        await().atMost(WAIT).until(() -> hub.dht().routingTable().size() == OURS - 1 + JS);
        for (JsPeer p : js) {
            await().atMost(WAIT).until(() -> p.call("dht-routing-table", Map.of()).get("size").asInt() >= 1);
        }
        for (OverlayNode n : nodes) {
            n.dht().bootstrap().get(60, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        for (JsPeer p : js) {
            p.close();
        }
        for (OverlayNode n : nodes) {
            n.close().get(10, TimeUnit.SECONDS);
        }
    }

    private static void figure(String what, Object... values) {
        StringBuilder b = new StringBuilder("DHT-FIGURES ").append(what);
        for (int i = 0; i + 1 < values.length; i += 2) {
            b.append(' ').append(values[i]).append('=').append(values[i + 1]);
        }
        System.out.println(b);
    }

    @Test
    void jsNodesServeAndEnterOurRoutingTables() {
        OverlayNode hub = nodes.getFirst();
        for (JsPeer p : js) {
            assertThat(hub.dht().routingTablePeers()).contains(p.peerId());
            assertThat(p.identifyInfo(hub.peerId()).protocols()).contains(KadDht.PROTOCOL);
        }
    }

    @Test
    void findPeerBothWays() throws Exception {
        OverlayNode seeker = nodes.get(OURS - 1);
        JsPeer target = js.get(JS - 1);
        long t0 = System.nanoTime();
        LookupResult closest = seeker.dht().findClosest(target.peerId().bytes()).get(60, TimeUnit.SECONDS);
        Optional<DhtPeer> found = seeker.dht().findPeer(target.peerId()).get(60, TimeUnit.SECONDS);
        double oursMs = (System.nanoTime() - t0) / 1e6;
        assertThat(found).isPresent();
        assertThat(found.get().addrs().stream().map(Multiaddr::toString).toList())
                .containsAnyElementsOf(target.addrs().stream().map(a -> a.withoutPeerId().toString()).toList());
        figure("ours->js find-peer", "hops", closest.hops(), "queried", closest.queried(), "lookupMs",
                closest.elapsed().toMillis(), "totalMs", Math.round(oursMs));

        OverlayNode ourTarget = nodes.get(OURS - 2);
        JsonNode r = js.getFirst().call("dht-find-peer", Map.of("peer", ourTarget.peerId().toBase58()));
        List<String> addrs = new ArrayList<>();
        r.get("addrs").forEach(a -> addrs.add(a.asText()));
        assertThat(addrs).anyMatch(a -> a.startsWith(ourTarget.listenAddresses().getFirst().toString()));
        figure("js->ours find-peer", "ms", Math.round(r.get("ms").asDouble()));

        byte[] key = "some lookup key".getBytes(StandardCharsets.UTF_8);
        LookupResult ours = nodes.get(2).dht().findClosest(key).get(60, TimeUnit.SECONDS);
        JsonNode theirs = js.get(1).call("dht-closest", Map.of("key", Base64.getEncoder().encodeToString(key)));
        figure("get-closest-peers", "oursHops", ours.hops(), "oursQueried", ours.queried(), "oursMs",
                ours.elapsed().toMillis(), "jsMs", Math.round(theirs.get("ms").asDouble()),
                "jsPeers", theirs.get("peers").size(), "oursPeers", ours.closest().size());
        // each side leaves itself out; with k = 20 > 8 nodes both must name everyone else
        List<String> oursIds = new ArrayList<>(ours.closest().stream().map(p -> p.id().toBase58()).toList());
        List<String> theirIds = new ArrayList<>(texts(theirs.get("peers")));
        oursIds.remove(js.get(1).peerId().toBase58());
        theirIds.remove(nodes.get(2).peerId().toBase58());
        assertThat(oursIds).containsExactlyInAnyOrderElementsOf(theirIds).hasSize(OURS + JS - 2);
    }

    @Test
    void putOnOursGetOnJsAndTheOtherWay() throws Exception {
        OverlayNode writer = nodes.get(2);
        long t0 = System.nanoTime();
        int stored = writer.dht().putAppValue("interop", "from-java", "written by omnipeer".getBytes(StandardCharsets.UTF_8))
                .get(60, TimeUnit.SECONDS);
        figure("ours put", "peers", stored, "ms", Math.round((System.nanoTime() - t0) / 1e6));
        assertThat(stored).isGreaterThanOrEqualTo(3);
        JsonNode got = js.get(1).call("dht-get", Map.of("key", "/omnipeer/app/interop/from-java"));
        assertThat(new String(Base64.getDecoder().decode(got.get("value").asText()), StandardCharsets.UTF_8))
                .isEqualTo("written by omnipeer");
        figure("js get (value from ours)", "ms", Math.round(got.get("ms").asDouble()));

        JsonNode put = js.get(2).call("dht-put-app", Map.of("ns", "interop", "name", "from-js",
                "value", Base64.getEncoder().encodeToString("written by js".getBytes(StandardCharsets.UTF_8)), "seq", 7));
        figure("js put", "ms", Math.round(put.get("ms").asDouble()));
        t0 = System.nanoTime();
        Optional<AppRecordValidator.SignedValue> v = nodes.get(4).dht().getAppValue("interop", "from-js")
                .get(60, TimeUnit.SECONDS);
        figure("ours get (value from js)", "ms", Math.round((System.nanoTime() - t0) / 1e6));
        assertThat(v).isPresent();
        assertThat(new String(v.get().value(), StandardCharsets.UTF_8)).isEqualTo("written by js");
        assertThat(v.get().seq()).isEqualTo(7);
        assertThat(PeerId.fromPublicKey(v.get().writer()).toBase58()).isEqualTo(put.get("writer").asText());
    }

    @Test
    void provideAndFindProvidersBothWays() throws Exception {
        String ourText = "content provided by omnipeer";
        OverlayNode provider = nodes.get(1);
        int told = provider.dht().provide(Multihash.sha256(ourText.getBytes(StandardCharsets.UTF_8)).bytes())
                .get(60, TimeUnit.SECONDS);
        assertThat(told).isGreaterThanOrEqualTo(3);
        JsonNode found = js.get(2).call("dht-find-providers", Map.of("text", ourText, "limit", 1));
        assertThat(found.get("providers")).isNotEmpty();
        assertThat(found.get("providers").get(0).get("peerId").asText()).isEqualTo(provider.peerId().toBase58());
        figure("js find-providers (ours provide)", "ms", Math.round(found.get("ms").asDouble()));

        String jsText = "content provided by js";
        JsPeer jsProvider = js.getFirst();
        jsProvider.call("dht-provide", Map.of("text", jsText));
        long t0 = System.nanoTime();
        List<DhtPeer> providers = nodes.get(3).dht().findProviders(
                Multihash.sha256(jsText.getBytes(StandardCharsets.UTF_8)).bytes(), 1).get(60, TimeUnit.SECONDS);
        figure("ours find-providers (js provide)", "ms", Math.round((System.nanoTime() - t0) / 1e6));
        assertThat(providers).extracting(DhtPeer::id).containsExactly(jsProvider.peerId());
        assertThat(providers.getFirst().addrs()).isNotEmpty();
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
