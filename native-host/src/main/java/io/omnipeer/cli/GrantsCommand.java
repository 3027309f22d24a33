package io.omnipeer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omnipeer.control.ControlClient;
import io.omnipeer.protocol.control.Methods;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.time.Instant;
import java.util.List;

/** {@code omnipeer grants list|add|revoke}: the same grant store the browser popup manages. */
@Command(name = "grants", description = "List, add and revoke the permissions of web origins.",
        subcommands = {GrantsCommand.ListGrants.class, GrantsCommand.Add.class, GrantsCommand.Revoke.class})
final class GrantsCommand extends CommandGroup {

    @Command(name = "list", description = "List grants: origin, capability, time granted (UTC).")
    static final class ListGrants extends ControlCommand {
        @Parameters(arity = "0..1", paramLabel = "ORIGIN", description = "only this origin")
        String origin;

        @Override
        int run(ControlClient client) {
            ObjectNode params = params();
            if (origin != null) {
                params.put("origin", origin);
            }
            JsonNode grants = client.call(Methods.GRANTS_LIST, params).path("grants");
            if (grants.isEmpty()) {
                out().println("no grants");
            }
            for (JsonNode grant : grants) {
                out().println(grant.path("origin").asText() + "  " + grant.path("capability").asText() + "  "
                        + Instant.ofEpochMilli(grant.path("grantedAt").asLong()));
            }
            return 0;
        }
    }

    @Command(name = "add", description = "Grant capabilities (e.g. pubsub:chat, peers:read) to ORIGIN.")
    static final class Add extends ControlCommand {
        @Parameters(index = "0", paramLabel = "ORIGIN")
        String origin;
        @Parameters(index = "1..*", arity = "1..*", paramLabel = "CAPABILITY")
        List<String> capabilities;

        @Override
        int run(ControlClient client) {
            ObjectNode params = params().put("origin", origin);
            capabilities.forEach(params.putArray("capabilities")::add);
            int held = client.call(Methods.GRANTS_ADD, params).path("grants").size();
            out().println(origin + " now holds " + held + " grant(s)");
            return 0;
        }
    }

    @Command(name = "revoke", description = "Revoke CAPABILITY of ORIGIN, or all its grants; its subscriptions close at once.")
    static final class Revoke extends ControlCommand {
        @Parameters(index = "0", paramLabel = "ORIGIN")
        String origin;
        @Parameters(index = "1", arity = "0..1", paramLabel = "CAPABILITY")
        String capability;

        @Override
        int run(ControlClient client) {
            ObjectNode params = params().put("origin", origin);
            if (capability != null) {
                params.put("capability", capability);
            }
            out().println("revoked " + client.call(Methods.GRANTS_REVOKE, params).path("revoked").asInt() + " grant(s)");
            return 0;
        }
    }
}
