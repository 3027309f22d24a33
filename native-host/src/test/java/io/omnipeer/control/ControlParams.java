package io.omnipeer.control;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omnipeer.protocol.control.JsonRpcCodec;

/** Request params for control-socket tests: empty ones (the CLI's), and a page's (with the origin the extension sets). */
final class ControlParams {
    private ControlParams() {
    }

    /** {@code {}}: a request without origin, as the CLI and the popup send it. */
    static ObjectNode params() {
        return JsonRpcCodec.mapper().createObjectNode();
    }

    /** {@code {origin}}: a request as the extension forwards it for a page of {@code origin}. */
    static ObjectNode page(String origin) {
        return params().put("origin", origin);
    }
}
