package io.omnipeer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.omnipeer.control.ControlClient;
import io.omnipeer.protocol.control.Methods;
import picocli.CommandLine.Command;

/** {@code omnipeer peers}: one line per connected peer. */
@Command(name = "peers", description = "List connected peers: peer ID, agent version, addresses.")
final class PeersCommand extends ControlCommand {
    @Override
    int run(ControlClient client) {
        JsonNode peers = client.call(Methods.PEERS_LIST, params()).path("peers");
        if (peers.isEmpty()) {
            out().println("no connected peers");
        }
        for (JsonNode peer : peers) {
            String agent = peer.path("agentVersion").asText();
            out().println(peer.path("peerId").asText() + "  " + (agent.isEmpty() ? "-" : agent) + "  "
                    + join(peer.path("addrs"), " "));
        }
        return 0;
    }
}
