package io.omnipeer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omnipeer.control.ControlClient;
import io.omnipeer.control.DataDir;
import io.omnipeer.protocol.control.JsonRpcCodec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** Base of the CLI commands that talk to a running daemon over its control socket. */
abstract class ControlCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** Runs the command against a connected client; returns the exit code. */
    abstract int run(ControlClient client) throws Exception;

    @Override
    public final Integer call() throws Exception {
        try (ControlClient client = ControlClient.connect(DataDir.controlSocket(dataDir()))) {
            return run(client);
        }
    }

    Path dataDir() {
        return ((OmnipeerCommand) spec.root().userObject()).dataDir();
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    static ObjectNode params() {
        return JsonRpcCodec.mapper().createObjectNode();
    }

    static String join(JsonNode array, String separator) {
        StringBuilder out = new StringBuilder();
        array.forEach(item -> out.append(out.isEmpty() ? "" : separator).append(item.asText()));
        return out.toString();
    }
}
