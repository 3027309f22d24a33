package io.omnipeer.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** One JSON object a line on stdout: how every bench child process (ours, raw TCP, js) reports. Thread-safe. */
final class JsonLines {
    static final ObjectMapper JSON = new ObjectMapper();

    private JsonLines() {
    }

    static ObjectNode event(String name) {
        return JSON.createObjectNode().put("event", name);
    }

    static synchronized void emit(ObjectNode line) {
        System.out.println(line.toString());
        System.out.flush();
    }

    /** Blocks until stdin closes (the parent went away or is done with us). */
    static void awaitStdinClosed() {
        try {
            while (System.in.read() >= 0) {
                // discard
            }
        } catch (java.io.IOException e) {
            // parent gone
        }
    }
}
