package io.omnipeer.store;

import io.omnipeer.core.PeerId;
import io.omnipeer.core.crypto.PrivateKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StoreTest {
    @TempDir
    Path dir;

    @Test
    void identityIsCreatedOnceWithMode0600AndReloaded() throws IOException {
        Path file = dir.resolve("identity.key");
        PrivateKey first = IdentityFile.loadOrCreate(file);
        PrivateKey again = IdentityFile.loadOrCreate(file);
        assertThat(PeerId.fromPublicKey(again.publicKey())).isEqualTo(PeerId.fromPublicKey(first.publicKey()));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (var leftovers = Files.list(dir)) {
            assertThat(leftovers).containsExactly(file);
        }
    }

    @Test
    void corruptIdentityIsReportedAndNeverOverwritten() throws IOException {
        Path file = dir.resolve("identity.key");
        Files.write(file, new byte[]{1, 2, 3});
        assertThatThrownBy(() -> IdentityFile.loadOrCreate(file)).isInstanceOf(IOException.class)
                .hasMessageContaining("not a libp2p private key");
        assertThat(Files.readAllBytes(file)).containsExactly(1, 2, 3);
    }

    @Test
    void grantsSurviveReopenAndRevokeIsExact() throws IOException {
        Path file = dir.resolve("omnipeer.db");
        List<String> changed = new ArrayList<>();
        try (Database db = Database.open(file)) {
            GrantStore grants = new GrantStore(db);
            grants.addListener(changed::add);
            grants.add("https://a.example", List.of("pubsub:chat", "peers:read"));
            grants.add("https://b.example", List.of("pubsub:news"));
            grants.add("https://a.example", List.of("pubsub:chat"));
        }
        assertThat(changed).containsExactly("https://a.example", "https://b.example", "https://a.example");
        try (Database db = Database.open(file)) {
            GrantStore grants = new GrantStore(db);
            assertThat(grants.isGranted("https://a.example", "pubsub:chat")).isTrue();
            assertThat(grants.isGranted("https://a.example", "pubsub:news")).isFalse();
            assertThat(grants.isGranted("https://b.example", "pubsub:chat")).isFalse();
            assertThat(grants.list("https://a.example")).extracting(GrantStore.Grant::capability)
                    .containsExactlyInAnyOrder("pubsub:chat", "peers:read");
            assertThat(grants.revoke("https://a.example", "pubsub:chat")).isEqualTo(1);
            assertThat(grants.isGranted("https://a.example", "pubsub:chat")).isFalse();
            assertThat(grants.hasAnyGrant("https://a.example")).isTrue();
            assertThat(grants.revoke("https://a.example", null)).isEqualTo(1);
            assertThat(grants.hasAnyGrant("https://a.example")).isFalse();
            assertThat(grants.listAll()).extracting(GrantStore.Grant::origin).containsExactly("https://b.example");
        }
    }

    @Test
    void badGrantFieldsAreRefusedAndNothingIsStored() throws IOException {
        try (Database db = Database.open(dir.resolve("omnipeer.db"))) {
            GrantStore grants = new GrantStore(db);
            assertThatThrownBy(() -> grants.add("https://a.example", List.of("pubsub:ok", " ")))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> grants.add("x".repeat(600), List.of("pubsub:chat")))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(grants.listAll()).isEmpty();
        }
    }

    @Test
    void migrationsRunOnce() throws IOException {
        Path file = dir.resolve("omnipeer.db");
        Database.open(file).close();
        Database.open(file).close();
        try (Database db = Database.open(file)) {
            assertThat(new GrantStore(db).listAll()).isEmpty();
        }
    }
}
