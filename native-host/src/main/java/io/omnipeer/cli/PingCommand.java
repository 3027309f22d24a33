package io.omnipeer.cli;

import io.omnipeer.control.ControlClient;
import io.omnipeer.protocol.control.Methods;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code omnipeer ping PEER}: one /ipfs/ping/1.0.0 round trip to a connected or known peer. */
@Command(name = "ping", description = "Ping a peer by peer ID and print the round-trip time.")
final class PingCommand extends ControlCommand {
    @Parameters(paramLabel = "PEER")
    String peer;

    @Override
    int run(ControlClient client) {
        double rtt = client.call(Methods.PEERS_PING, params().put("peerId", peer)).path("rttMs").asDouble();
        out().printf("pong from %s: %.3f ms%n", peer, rtt);
        return 0;
    }
}
