package io.omnipeer.security.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Noise_XX_25519_ChaChaPoly_SHA256 test vectors (cacophony and noise-c formats): handshake messages alternate
 * initiator/responder starting with the initiator, and so do the transport messages that follow.
 */
class NoiseVectorsTest {
    private static final HexFormat HEX = HexFormat.of();

    static List<JsonNode> vectors() throws Exception {
        try (InputStream in = NoiseVectorsTest.class.getResourceAsStream("/noise/Noise_XX_25519_ChaChaPoly_SHA256.json")) {
            List<JsonNode> list = new ArrayList<>();
            new ObjectMapper().readTree(in).get("vectors").forEach(list::add);
            return list;
        }
    }

    private static byte[] hex(JsonNode v, String field) {
        return HEX.parseHex(v.get(field).asText());
    }

    @ParameterizedTest
    @MethodSource("vectors")
    void handshakeAndTransportMatchVector(JsonNode v) {
        NoiseHandshake init = new NoiseHandshake(true, X25519KeyPair.fromPrivate(hex(v, "init_static")),
                Optional.of(X25519KeyPair.fromPrivate(hex(v, "init_ephemeral"))), hex(v, "init_prologue"));
        NoiseHandshake resp = new NoiseHandshake(false, X25519KeyPair.fromPrivate(hex(v, "resp_static")),
                Optional.of(X25519KeyPair.fromPrivate(hex(v, "resp_ephemeral"))), hex(v, "resp_prologue"));
        JsonNode messages = v.get("messages");
        CipherState[] initCs = null;
        CipherState[] respCs = null;
        for (int i = 0; i < messages.size(); i++) {
            byte[] payload = hex(messages.get(i), "payload");
            byte[] expected = hex(messages.get(i), "ciphertext");
            boolean fromInitiator = i % 2 == 0;
            if (i < 3) {
                NoiseHandshake sender = fromInitiator ? init : resp;
                NoiseHandshake receiver = fromInitiator ? resp : init;
                byte[] ciphertext = sender.writeMessage(payload);
                assertThat(HEX.formatHex(ciphertext)).as("handshake message %d", i).isEqualTo(HEX.formatHex(expected));
                assertThat(receiver.readMessage(ciphertext)).isEqualTo(payload);
                if (i == 2) {
                    assertThat(init.isComplete()).isTrue();
                    assertThat(resp.isComplete()).isTrue();
                    assertThat(HEX.formatHex(init.handshakeHash())).isEqualTo(v.get("handshake_hash").asText());
                    assertThat(resp.handshakeHash()).isEqualTo(init.handshakeHash());
                    initCs = init.split();
                    respCs = resp.split();
                }
            } else {
                CipherState send = fromInitiator ? initCs[0] : respCs[0];
                CipherState receive = fromInitiator ? respCs[1] : initCs[1];
                byte[] ciphertext = send.encryptWithAd(new byte[0], payload);
                assertThat(HEX.formatHex(ciphertext)).as("transport message %d", i).isEqualTo(HEX.formatHex(expected));
                assertThat(receive.decryptWithAd(new byte[0], ciphertext)).isEqualTo(payload);
            }
        }
    }

    @Test
    void tamperedHandshakeMessageFailsAuthentication() throws Exception {
        JsonNode v = vectors().get(0);
        NoiseHandshake init = new NoiseHandshake(true, X25519KeyPair.fromPrivate(hex(v, "init_static")), Optional.empty(), new byte[0]);
        NoiseHandshake resp = new NoiseHandshake(false, X25519KeyPair.fromPrivate(hex(v, "resp_static")), Optional.empty(), new byte[0]);
        resp.readMessage(init.writeMessage(new byte[0]));
        byte[] m2 = resp.writeMessage(new byte[] {1, 2, 3});
        m2[40] ^= 0x01;
        assertThatThrownBy(() -> init.readMessage(m2)).isInstanceOf(NoiseException.class).hasMessageContaining("bad tag");
    }

    @Test
    void prologueMismatchFailsAuthentication() {
        NoiseHandshake init = new NoiseHandshake(true, X25519KeyPair.generate(), Optional.empty(), new byte[] {1});
        NoiseHandshake resp = new NoiseHandshake(false, X25519KeyPair.generate(), Optional.empty(), new byte[0]);
        resp.readMessage(init.writeMessage(new byte[0]));
        byte[] m2 = resp.writeMessage(new byte[0]);
        assertThatThrownBy(() -> init.readMessage(m2)).isInstanceOf(NoiseException.class);
    }

    @Test
    void truncatedMessagesAndWrongTurnsAreRejected() {
        NoiseHandshake init = new NoiseHandshake(true, X25519KeyPair.generate(), Optional.empty(), new byte[0]);
        NoiseHandshake resp = new NoiseHandshake(false, X25519KeyPair.generate(), Optional.empty(), new byte[0]);
        assertThatThrownBy(() -> resp.readMessage(new byte[31])).isInstanceOf(NoiseException.class).hasMessageContaining("too short");
        assertThatThrownBy(() -> init.readMessage(new byte[32])).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> resp.writeMessage(new byte[0])).isInstanceOf(IllegalStateException.class);
        resp.readMessage(init.writeMessage(new byte[0]));
        byte[] m2 = resp.writeMessage(new byte[0]);
        assertThatThrownBy(() -> init.readMessage(java.util.Arrays.copyOf(m2, 60))).isInstanceOf(NoiseException.class);
    }

    @Test
    void nonceExhaustionIsAnError() {
        CipherState cs = new CipherState();
        cs.initializeKey(new byte[32]);
        cs.setNonce(0xFFFF_FFFF_FFFF_FFFEL);
        cs.encryptWithAd(new byte[0], new byte[] {1});
        assertThat(cs.nonce()).isEqualTo(-1L);
        assertThatThrownBy(() -> cs.encryptWithAd(new byte[0], new byte[] {1}))
                .isInstanceOf(NoiseException.class).hasMessageContaining("nonce exhausted");
    }
}
