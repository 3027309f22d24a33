package io.omnipeer.protocol.control;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CapabilityTest {
    @Test
    void parsesKnownKinds() {
        assertThat(Capability.parse("pubsub:chat")).isEqualTo(Capability.pubsub("chat"));
        assertThat(Capability.parse("pubsub:app:room/1").argument()).isEqualTo("app:room/1");
        assertThat(Capability.parse("peers:read")).isEqualTo(Capability.peersRead());
        assertThat(Capability.pubsub("chat")).hasToString("pubsub:chat");
        assertThat(Capability.parse("stream:/chat/1.0.0")).isEqualTo(Capability.stream("/chat/1.0.0"));
        assertThat(Capability.parse("dht:rooms/")).isEqualTo(Capability.dht("rooms/"));
        assertThat(Capability.parse("storage")).isEqualTo(Capability.storage()).hasToString("storage");
        assertThat(Capability.parse("notifications")).hasToString("notifications");
    }

    @Test
    void rejectsUnknownKindsEmptyCaveatsAndOverlongText() {
        for (String bad : new String[]{"dht:", "stream:", "storage:x", "storage:", "notifications:all", "pubsub", "pubsub:", "peers:write", ":chat", "PUBSUB:chat",
                "pubsub:a\nb", "pubsub:" + "t".repeat(Capability.MAX_LENGTH)}) {
            assertThatThrownBy(() -> Capability.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
