package io.omnipeer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.omnipeer.control.ControlClient;
import io.omnipeer.control.DataDir;
import io.omnipeer.protocol.control.Methods;
import picocli.CommandLine.Command;

/** {@code omnipeer status}: peer ID, agent, listen addresses, connected peer count. */
@Command(name = "status", description = "Show the daemon's peer ID, listen addresses and connected peers.")
final class StatusCommand extends ControlCommand {
    @Override
    int run(ControlClient client) {
        JsonNode info = client.call(Methods.NODE_INFO, params());
        out().println("peer id:         " + info.path("peerId").asText());
        out().println("agent version:   " + info.path("agentVersion").asText());
        out().println("listening on:    " + join(info.path("listenAddrs"), "\n                 "));
        out().println("connected peers: " + info.path("connectedPeers").asInt());
        out().println("control socket:  " + DataDir.controlSocket(dataDir()));
        return 0;
    }
}
