package io.omnipeer.cli;

import io.omnipeer.control.ControlClient;
import io.omnipeer.protocol.control.Methods;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code omnipeer connect MULTIADDR|PEER_ID}. */
@Command(name = "connect", description = "Dial a peer by address, e.g. /ip4/127.0.0.1/tcp/4002/p2p/12D3KooW..., "
        + "or by peer ID alone (its address is looked up in the DHT)")
final class ConnectCommand extends ControlCommand {
    @Parameters(paramLabel = "MULTIADDR|PEER_ID")
    String target;

    @Override
    int run(ControlClient client) {
        String field = target.startsWith("/") ? "multiaddr" : "peerId";
        String peer = client.call(Methods.PEERS_CONNECT, params().put(field, target)).path("peerId").asText();
        out().println("connected to " + peer);
        return 0;
    }
}
