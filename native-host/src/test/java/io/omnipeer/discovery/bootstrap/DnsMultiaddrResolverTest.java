package io.omnipeer.discovery.bootstrap;

import io.omnipeer.core.Multiaddr;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DnsMultiaddrResolverTest {
    @Test
    void resolvesLocalhostKeepingPortAndPeerId() throws Exception {
        Multiaddr addr = Multiaddr.parse("/dns4/localhost/tcp/4001/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA");
        assertThat(DnsMultiaddrResolver.needsResolution(addr)).isTrue();
        assertThat(DnsMultiaddrResolver.resolve(addr)).extracting(Multiaddr::toString)
                .contains("/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA");
    }

    @Test
    void literalAddressesPassThrough() throws Exception {
        Multiaddr addr = Multiaddr.parse("/ip4/127.0.0.1/tcp/4001");
        assertThat(DnsMultiaddrResolver.needsResolution(addr)).isFalse();
        assertThat(DnsMultiaddrResolver.resolve(addr)).containsExactly(addr);
    }

    @Test
    void dnsaddrIsReportedUnsupported() {
        assertThatThrownBy(() -> DnsMultiaddrResolver.resolve(Multiaddr.parse("/dnsaddr/bootstrap.example")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dnsaddr");
    }
}
