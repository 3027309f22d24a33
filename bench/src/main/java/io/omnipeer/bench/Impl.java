package io.omnipeer.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Who runs a perf endpoint: our host (Java), our host built from an earlier commit ({@code --baseline-jar}: the
 * before side of a before/after comparison in the same run), js-libp2p (Node), or plain TCP sockets (Java NIO, the
 * ceiling).
 */
enum Impl {
    OURS("omnipeer"), BEFORE("omnipeer-before"), JS("js-libp2p"), RAW("raw-tcp");

    final String label;

    Impl(String label) {
        this.label = label;
    }

    /** A perf server that prints a ready line with its address and runs until stdin closes. */
    List<String> server(Launch l) {
        return switch (this) {
            case OURS -> l.java("PerfServerMain", List.of());
            case BEFORE -> l.baselineJava("PerfServerMain");
            case JS -> l.js("perf.mjs", "server");
            case RAW -> l.java("RawTcpMain", List.of(), "server");
        };
    }

    /** A one-shot client in {@code mode} ({@code client} or {@code connect}). */
    List<String> client(Launch l, String mode, List<String> args) {
        List<String> all = new ArrayList<>(List.of(mode));
        all.addAll(args);
        String[] a = all.toArray(String[]::new);
        return switch (this) {
            case OURS -> l.java("PerfClientMain", List.of(), a);
            case BEFORE -> l.baselineJava("PerfClientMain", a);
            case JS -> l.js("perf.mjs", a);
            case RAW -> l.java("RawTcpMain", List.of(), a);
        };
    }

    /** A client/server combination, named "client -> server". */
    record Pair(Impl client, Impl server) {
        String label() {
            return client == server ? client.label + " <-> " + server.label : client.label + " -> " + server.label;
        }
    }
}
