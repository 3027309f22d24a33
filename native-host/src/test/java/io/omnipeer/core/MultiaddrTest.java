package io.omnipeer.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** multiformats/multiaddr examples (go-multiaddr multiaddr_test.go string/bytes pairs and failure cases). */
class MultiaddrTest {
    private static final HexFormat HEX = HexFormat.of();

    @ParameterizedTest
    @CsvSource({
        "/ip4/127.0.0.1/udp/1234, 047f000001910204d2",
        "/ip4/127.0.0.1/tcp/4321, 047f0000010610e1",
        "/ip4/127.0.0.1/udp/1234/ip4/127.0.0.1/tcp/4321, 047f000001910204d2047f0000010610e1",
        "/ip6/::1/tcp/4001, 2900000000000000000000000000000001060fa1",
        "/dns4/example.com/tcp/443/wss, 360b6578616d706c652e636f6d0601bbde03",
        "/ip4/1.2.3.4/udp/4001/quic-v1, 040102030491020fa1cd03",
        "/p2p-circuit, a202"})
    void stringBytesRoundTrip(String text, String hex) {
        Multiaddr a = Multiaddr.parse(text);
        assertThat(HEX.formatHex(a.bytes())).isEqualTo(hex);
        assertThat(a.toString()).isEqualTo(text);
        assertThat(Multiaddr.fromBytes(HEX.parseHex(hex))).isEqualTo(a);
    }

    @ParameterizedTest
    @CsvSource({
        "/ipfs/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC, /p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC",
        "/ip6/2001:DB8:0:0:0:0:0:1/tcp/1, /ip6/2001:db8::1/tcp/1",
        "/ip6/0:0:0:0:0:0:0:0/tcp/1, /ip6/::/tcp/1",
        "/ip6/2001:db8:0:0:1:0:0:1/tcp/1, /ip6/2001:db8::1:0:0:1/tcp/1",
        "/ip6/::ffff:127.0.0.1/tcp/111, /ip6/::ffff:127.0.0.1/tcp/111",
        "/ip4/1.2.3.4/tcp/80/, /ip4/1.2.3.4/tcp/80"})
    void canonicalText(String input, String canonical) {
        assertThat(Multiaddr.parse(input).toString()).isEqualTo(canonical);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "/", "ip4/1.2.3.4", "/ip4", "/ip4/::1", "/ip4/fdpsofodsajfdoisa", "/ip4/256.0.0.1", "/ip4/01.2.3.4", "/ip6",
        "/ip6/1:2:3", "/ip6/1::2::3", "/ip6/12345::", "/udp", "/tcp", "/sctp", "/udp/65536", "/tcp/65536", "/tcp/-1",
        "/quic-v1/65536", "/dns4", "/p2p", "/p2p/QmxoHT6iViN5xAjoz1VZ553cL31U9F94ht3QvWR1FrEbZY", "/ip4/1.2.3.4/tcp/80//",
        "/unknown/1"})
    void malformedTextIsRejected(String text) {
        assertThatThrownBy(() -> Multiaddr.parse(text)).isInstanceOf(DecodingException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "04", "047f0000", "047f0000010610", "ff7f", "3605616263", "a503221220d52e", "8080808080808080808001"})
    void malformedBytesAreRejected(String hex) {
        assertThatThrownBy(() -> Multiaddr.fromBytes(HEX.parseHex(hex))).isInstanceOf(DecodingException.class);
    }

    @Test
    void oversizedIsRejected() {
        String longName = "/dns4/" + "a".repeat(250);
        assertThatThrownBy(() -> Multiaddr.parse(longName.repeat(5))).isInstanceOf(DecodingException.class);
        assertThatThrownBy(() -> Multiaddr.parse("/dns4/" + "a".repeat(256))).isInstanceOf(DecodingException.class);
        assertThatThrownBy(() -> Multiaddr.fromBytes(new byte[Multiaddr.MAX_BYTES + 1])).isInstanceOf(DecodingException.class);
    }

    @Test
    void peerIdHelpers() {
        PeerId peer = PeerId.parse("12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA");
        Multiaddr base = Multiaddr.parse("/ip4/127.0.0.1/tcp/4001");
        Multiaddr full = base.withPeerId(peer);
        assertThat(full.toString()).isEqualTo("/ip4/127.0.0.1/tcp/4001/p2p/" + peer);
        assertThat(full.peerId()).contains(peer);
        assertThat(full.withoutPeerId()).isEqualTo(base);
        assertThat(base.peerId()).isEmpty();
        assertThat(full.withPeerId(peer)).isEqualTo(full);
        assertThat(base.encapsulate(Multiaddr.parse("/p2p/" + peer))).isEqualTo(full);
        assertThat(full.components()).extracting(Multiaddr.Component::protocol)
                .containsExactly(Multiaddr.Protocol.IP4, Multiaddr.Protocol.TCP, Multiaddr.Protocol.P2P);
        assertThat(Multiaddr.parse("/ip4/127.0.0.1/tcp/1/p2p/" + peer.toCid()).peerId()).contains(peer);
        PeerId other = PeerId.parse("QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N");
        assertThat(Multiaddr.parse("/p2p/" + other).withPeerId(peer).toString()).isEqualTo("/p2p/" + peer);
        assertThat(Multiaddr.parse("/p2p/" + other).withoutPeerId().toString()).isEqualTo("/p2p/" + other);
    }

    @Test
    void socketAddressConversions() throws Exception {
        Multiaddr a = Multiaddr.parse("/ip4/127.0.0.1/tcp/4001");
        assertThat(a.toInetSocketAddress()).isEqualTo(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 4001));
        assertThat(a.host()).contains("127.0.0.1");
        assertThat(a.tcpPort()).hasValue(4001);
        assertThat(a.isLoopback()).isTrue();
        InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("::1"), 5);
        assertThat(Multiaddr.fromInetSocketAddress(v6).toString()).isEqualTo("/ip6/::1/tcp/5");
        assertThat(Multiaddr.fromInetSocketAddress(v6).toInetSocketAddress()).isEqualTo(v6);
        assertThat(Multiaddr.parse("/ip4/10.0.0.1/tcp/1").isLoopback()).isFalse();
        assertThat(Multiaddr.parse("/dns4/localhost/tcp/1").isLoopback()).isTrue();
        assertThatThrownBy(() -> Multiaddr.parse("/dns4/localhost/tcp/1").toInetSocketAddress()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Multiaddr.parse("/ip4/1.2.3.4/udp/1").toInetSocketAddress()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Multiaddr.fromInetSocketAddress(InetSocketAddress.createUnresolved("x", 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
