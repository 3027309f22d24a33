package io.omnipeer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.omnipeer.control.ControlClient;
import io.omnipeer.protocol.control.Methods;
import io.omnipeer.protocol.control.RpcException;
import io.omnipeer.protocol.control.ErrorCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** {@code omnipeer pubsub subscribe TOPIC} and {@code omnipeer pubsub publish TOPIC MSG}. */
@Command(name = "pubsub", description = "Publish to and subscribe to pubsub topics.",
        subcommands = {PubsubCommand.Subscribe.class, PubsubCommand.Publish.class})
final class PubsubCommand extends CommandGroup {

    @Command(name = "subscribe", description = "Print messages on TOPIC as they arrive (\"<from>: <text>\") until Ctrl-C.")
    static final class Subscribe extends ControlCommand {
        @Parameters(paramLabel = "TOPIC")
        String topic;

        @Override
        int run(ControlClient client) throws Exception {
            client.onNotification(n -> {
                if (n.method().equals(Methods.PUBSUB_MESSAGE)) {
                    JsonNode p = n.params();
                    out().println(p.path("from").asText() + ": " + text(Base64.getDecoder().decode(p.path("data").asText())));
                    out().flush();
                }
            });
            client.call(Methods.PUBSUB_SUBSCRIBE, params().put("topic", topic));
            spec.commandLine().getErr().println("subscribed to " + topic + " (Ctrl-C to stop)");
            spec.commandLine().getErr().flush();
            client.closed().get();
            throw new RpcException(ErrorCodes.DISCONNECTED, "the daemon closed the connection");
        }

        /** The payload as UTF-8 text, or {@code base64:...} when it is not valid UTF-8. */
        static String text(byte[] data) {
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(data)).toString();
            } catch (CharacterCodingException e) {
                return "base64:" + Base64.getEncoder().encodeToString(data);
            }
        }
    }

    @Command(name = "publish", description = "Publish MSG (UTF-8 text) on TOPIC.")
    static final class Publish extends ControlCommand {
        @Parameters(index = "0", paramLabel = "TOPIC")
        String topic;
        @Parameters(index = "1", paramLabel = "MSG")
        String message;

        @Override
        int run(ControlClient client) {
            client.call(Methods.PUBSUB_PUBLISH, params().put("topic", topic)
                    .put("data", Base64.getEncoder().encodeToString(message.getBytes(StandardCharsets.UTF_8))));
            return 0;
        }
    }
}
