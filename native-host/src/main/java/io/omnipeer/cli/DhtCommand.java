package io.omnipeer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.omnipeer.control.ControlClient;
import io.omnipeer.core.Base58;
import io.omnipeer.core.Multihash;
import io.omnipeer.protocol.control.Methods;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code omnipeer dht find-peer|get|put|provide|find-providers}: the Kademlia DHT through the daemon. */
@Command(name = "dht", description = "Find peers, get/put values and provide/find content in the Kademlia DHT.",
        subcommands = {DhtCommand.FindPeer.class, DhtCommand.Get.class, DhtCommand.Put.class, DhtCommand.Provide.class,
                DhtCommand.FindProviders.class})
final class DhtCommand extends CommandGroup {

    @Command(name = "find-peer", description = "Look up a peer's addresses by its ID.")
    static final class FindPeer extends ControlCommand {
        @Parameters(paramLabel = "PEER_ID")
        String peerId;

        @Override
        int run(ControlClient client) {
            JsonNode r = client.call(Methods.DHT_FIND_PEER, params().put("peerId", peerId));
            if (!r.path("found").asBoolean()) {
                spec.commandLine().getErr().println("not found: " + peerId);
                return 1;
            }
            r.path("addrs").forEach(a -> out().println(a.asText()));
            return 0;
        }
    }

    @Command(name = "get", description = "Print the value under KEY (UTF-8 text, or base64:... for binary).")
    static final class Get extends ControlCommand {
        @Parameters(paramLabel = "KEY", description = "full DHT key, e.g. /omnipeer/app/<ns>/<name>")
        String key;

        @Override
        int run(ControlClient client) {
            JsonNode r = client.call(Methods.DHT_GET, params().put("key", key));
            if (r.path("value").isNull() || r.path("value").isMissingNode()) {
                spec.commandLine().getErr().println("not found: " + key);
                return 1;
            }
            out().println(PubsubCommand.Subscribe.text(Base64.getDecoder().decode(r.path("value").asText())));
            if (r.has("writer")) {
                spec.commandLine().getErr().println("written by " + r.path("writer").asText() + " (seq "
                        + r.path("seq").asLong() + ")");
            }
            return 0;
        }
    }

    @Command(name = "put", description = "Store VALUE (UTF-8 text) under KEY; /omnipeer/app/ keys are signed by this node.")
    static final class Put extends ControlCommand {
        @Parameters(index = "0", paramLabel = "KEY")
        String key;
        @Parameters(index = "1", paramLabel = "VALUE")
        String value;

        @Override
        int run(ControlClient client) {
            JsonNode r = client.call(Methods.DHT_PUT, params().put("key", key)
                    .put("value", Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8))));
            out().println("stored on " + r.path("peers").asInt() + " peers");
            return 0;
        }
    }

    /** KEY as given (multihash/CID), or the sha2-256 multihash of the text with --text. */
    static String contentKey(String key, boolean text) {
        return text ? Base58.encode(Multihash.sha256(key.getBytes(StandardCharsets.UTF_8)).bytes()) : key;
    }

    @Command(name = "provide", description = "Announce this node as a provider of KEY (a multihash or CID).")
    static final class Provide extends ControlCommand {
        @Parameters(paramLabel = "KEY")
        String key;
        @Option(names = "--text", description = "KEY is text: provide the sha2-256 multihash of it")
        boolean text;

        @Override
        int run(ControlClient client) {
            JsonNode r = client.call(Methods.DHT_PROVIDE, params().put("key", contentKey(key, text)));
            out().println("providing " + r.path("key").asText() + " (told " + r.path("peers").asInt() + " peers)");
            return 0;
        }
    }

    @Command(name = "find-providers", description = "List providers of KEY: \"<peerId> <addr> ...\" per line.")
    static final class FindProviders extends ControlCommand {
        @Parameters(paramLabel = "KEY")
        String key;
        @Option(names = "--text", description = "KEY is text: look up the sha2-256 multihash of it")
        boolean text;
        @Option(names = "--limit", paramLabel = "N", description = "stop after N providers (default 20)")
        int limit = 20;

        @Override
        int run(ControlClient client) {
            JsonNode r = client.call(Methods.DHT_FIND_PROVIDERS, params().put("key", contentKey(key, text))
                    .put("limit", limit));
            if (r.path("providers").isEmpty()) {
                spec.commandLine().getErr().println("no providers found");
                return 1;
            }
            r.path("providers").forEach(p -> out().println(p.path("peerId").asText() + " "
                    + join(p.path("addrs"), " ")));
            return 0;
        }
    }
}
