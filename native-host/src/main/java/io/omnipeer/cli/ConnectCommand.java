package io.omnipeer.cli;

import io.omnipeer.control.ControlClient;
import io.omnipeer.protocol.control.Methods;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code omnipeer connect MULTIADDR}. */
@Command(name = "connect", description = "Dial a peer, e.g. /ip4/127.0.0.1/tcp/4002/p2p/12D3KooW...")
final class ConnectCommand extends ControlCommand {
    @Parameters(paramLabel = "MULTIADDR")
    String multiaddr;

    @Override
    int run(ControlClient client) {
        String peer = client.call(Methods.PEERS_CONNECT, params().put("multiaddr", multiaddr)).path("peerId").asText();
        out().println("connected to " + peer);
        return 0;
    }
}
