package io.omnipeer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omnipeer.apps.AppManifest;
import io.omnipeer.control.ControlClient;
import io.omnipeer.core.crypto.Ed25519PrivateKey;
import io.omnipeer.core.crypto.PrivateKey;
import io.omnipeer.protocol.control.JsonRpcCodec;
import io.omnipeer.protocol.control.Methods;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code omnipeer apps list|install FILE|info ID|enable ID|disable ID|remove ID [--purge]} (through the daemon) and the
 * publisher helpers {@code apps keygen --out KEYFILE} / {@code apps sign --key KEYFILE MANIFEST.json} (offline). A key
 * file holds the base64 of the libp2p-marshalled Ed25519 private key (mode 0600). Errors from the daemon (bad
 * signature, lower version, ...) are printed by the CLI's error handler with a non-zero exit code.
 */
final class AppsManageCommands {
    /** Largest manifest file read, in bytes. */
    static final int MAX_MANIFEST_BYTES = 1 << 20;

    private AppsManageCommands() {
    }

    static void printApp(java.io.PrintWriter out, JsonNode app) {
        out.printf(Locale.ROOT, "%s %s (%s)%n", app.path("id").asText(), app.path("version").asText(),
                app.path("enabled").asBoolean() ? "enabled" : "disabled");
        out.printf(Locale.ROOT, "  name:         %s%n", app.path("name").asText());
        out.printf(Locale.ROOT, "  publisher:    %s%n", app.path("fingerprint").asText());
        JsonNode entry = app.path("entry");
        out.printf(Locale.ROOT, "  entry:        %s%n", entry.has("origin") ? entry.path("origin").asText() : entry.path("page").asText());
        out.printf(Locale.ROOT, "  capabilities: %s%n", ControlCommand.join(app.path("capabilities"), ", "));
        JsonNode r = app.path("resources");
        out.printf(Locale.ROOT, "  resources:    in %s KiB/s, out %s KiB/s, storage %s B, connections %s (0 = unlimited)%n",
                r.path("bandwidthInKiBps").asText(), r.path("bandwidthOutKiBps").asText(), r.path("storageBytes").asText(),
                r.path("connections").asText());
    }

    static JsonNode readJson(Path file) throws IOException {
        if (Files.size(file) > MAX_MANIFEST_BYTES) {
            throw new IOException(file + " is larger than " + MAX_MANIFEST_BYTES + " bytes");
        }
        return JsonRpcCodec.mapper().readTree(Files.readAllBytes(file));
    }

    @Command(name = "list", description = "Installed apps.")
    static final class ListApps extends ControlCommand {
        @Override
        int run(ControlClient client) {
            JsonNode apps = client.call(Methods.APPS_LIST, params()).path("apps");
            if (apps.isEmpty()) {
                out().println("no apps installed");
            }
            apps.forEach(app -> printApp(out(), app));
            return 0;
        }
    }

    @Command(name = "install", description = "Install or update an app from its signed manifest file.")
    static final class Install extends ControlCommand {
        @Parameters(paramLabel = "FILE", description = "signed manifest {manifest, signature}")
        Path file;

        @Override
        int run(ControlClient client) throws IOException {
            JsonNode app = client.call(Methods.APPS_INSTALL, (ObjectNode) params().set("manifest", readJson(file))).path("app");
            out().print("installed ");
            printApp(out(), app);
            return 0;
        }
    }

    /** A subcommand that calls one {@code apps.*} method with {@code {id}} and prints the app it returns. */
    abstract static class AppByIdCommand extends ControlCommand {
        @Parameters(paramLabel = "ID")
        String id;

        /** The control method called, e.g. {@link Methods#APPS_INFO}. */
        abstract String method();

        @Override
        int run(ControlClient client) {
            printApp(out(), client.call(method(), params().put("id", id)).path("app"));
            return 0;
        }
    }

    @Command(name = "info", description = "One installed app.")
    static final class Info extends AppByIdCommand {
        @Override
        String method() {
            return Methods.APPS_INFO;
        }
    }

    @Command(name = "enable", description = "Enable an app.")
    static final class Enable extends AppByIdCommand {
        @Override
        String method() {
            return Methods.APPS_ENABLE;
        }
    }

    @Command(name = "disable", description = "Disable an app (its grants and data stay).")
    static final class Disable extends AppByIdCommand {
        @Override
        String method() {
            return Methods.APPS_DISABLE;
        }
    }

    @Command(name = "remove", description = "Remove an app and its grants; --purge also deletes its stored data.")
    static final class Remove extends ControlCommand {
        @Parameters(paramLabel = "ID")
        String id;
        @Option(names = "--purge", description = "also delete the app's stored data")
        boolean purge;

        @Override
        int run(ControlClient client) {
            client.call(Methods.APPS_REMOVE, params().put("id", id).put("purge", purge));
            out().println("removed " + id + (purge ? " and its data" : ""));
            return 0;
        }
    }

    @Command(name = "keygen", description = "Create a publisher key file (Ed25519) and print its publisherKey.")
    static final class Keygen implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Option(names = "--out", required = true, paramLabel = "KEYFILE")
        Path out;

        @Override
        public Integer call() throws IOException {
            PrivateKey key = Ed25519PrivateKey.generate();
            try {
                // 0600 from the start: the private key is never readable by others, not even for a moment
                Files.createFile(out, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(out); // not a POSIX file system: its default permissions apply
            }
            Files.writeString(out, Base64.getEncoder().encodeToString(key.marshal()) + "\n", StandardCharsets.US_ASCII,
                    StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            spec.commandLine().getOut().println("publisherKey " + Base64.getEncoder().encodeToString(key.publicKey().marshal()));
            return 0;
        }
    }

    @Command(name = "sign", description = "Sign a manifest with a publisher key file (its publisherKey is set to that key); "
            + "prints the signed {manifest, signature}.")
    static final class Sign implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Option(names = "--key", required = true, paramLabel = "KEYFILE")
        Path keyFile;
        @Parameters(paramLabel = "MANIFEST", description = "the manifest object (or a signed file, re-signed)")
        Path manifest;

        @Override
        public Integer call() throws IOException {
            PrivateKey key = PrivateKey.unmarshal(Base64.getDecoder().decode(Files.readString(keyFile).trim()));
            JsonNode json = readJson(manifest);
            JsonNode body = json.has("manifest") && json.has("signature") ? json.get("manifest") : json;
            if (!body.isObject()) {
                throw new IllegalArgumentException(manifest + ": the manifest must be a JSON object");
            }
            // The signer is the publisher: its key goes in the manifest (a mismatch could never verify).
            ObjectNode withKey = ((ObjectNode) body).deepCopy()
                    .put("publisherKey", Base64.getEncoder().encodeToString(key.publicKey().marshal()));
            ObjectNode signed = AppManifest.sign(withKey, key);
            AppManifest.parse(signed);
            spec.commandLine().getOut().println(JsonRpcCodec.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(signed));
            return 0;
        }
    }
}
