package io.omnipeer.security.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.omnipeer.core.PeerId;
import io.omnipeer.core.crypto.Ed25519PrivateKey;
import io.omnipeer.security.noise.pb.NoiseProtos.NoiseExtensions;
import io.omnipeer.security.noise.pb.NoiseProtos.NoiseHandshakePayload;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** libp2p/specs noise/README.md: payload placement, signature, peer ID checks, extensions. */
class Libp2pNoiseHandshakeTest {
    private final Ed25519PrivateKey alice = Ed25519PrivateKey.generate();
    private final Ed25519PrivateKey bob = Ed25519PrivateKey.generate();

    @Test
    void mutualAuthenticationAndTransport() {
        Libp2pNoiseHandshake init = new Libp2pNoiseHandshake(alice, true, Optional.of(PeerId.fromPublicKey(bob.publicKey())));
        Libp2pNoiseHandshake resp = new Libp2pNoiseHandshake(bob, false, Optional.empty());
        assertThat(resp.start()).isEmpty();
        byte[] m1 = init.start().orElseThrow();
        assertThat(m1).hasSize(32); // -> e, empty payload
        byte[] m2 = resp.onMessage(m1).orElseThrow();
        byte[] m3 = init.onMessage(m2).orElseThrow();
        assertThat(init.isComplete()).isTrue();
        assertThat(resp.onMessage(m3)).isEmpty();
        assertThat(resp.isComplete()).isTrue();
        assertThat(init.result().remotePeer()).isEqualTo(PeerId.fromPublicKey(bob.publicKey()));
        assertThat(resp.result().remotePeer()).isEqualTo(PeerId.fromPublicKey(alice.publicKey()));
        assertThat(resp.result().remoteKey()).isEqualTo(alice.publicKey());

        CipherState[] a = init.split();
        CipherState[] b = resp.split();
        NoiseSession aliceSession = new NoiseSession(a[0], a[1]);
        NoiseSession bobSession = new NoiseSession(b[0], b[1]);
        byte[] big = new byte[NoiseSession.MAX_PLAINTEXT * 2 + 5];
        Arrays.fill(big, (byte) 7);
        ByteBuf wire = aliceSession.encrypt(ByteBufAllocator.DEFAULT, Unpooled.wrappedBuffer(big));
        assertThat(wire.readableBytes()).isEqualTo(NoiseSession.encryptedLength(big.length)).isEqualTo(big.length + 3 * 18);
        ByteBuf received = Unpooled.buffer();
        for (int i = 0; i < 3; i++) {
            int len = wire.readUnsignedShort();
            assertThat(len).isLessThanOrEqualTo(65535);
            ByteBuf plain = bobSession.decrypt(ByteBufAllocator.DEFAULT, wire.readSlice(len));
            received.writeBytes(plain);
            plain.release();
        }
        assertThat(received.array()).startsWith(big);
        assertThat(received.readableBytes()).isEqualTo(big.length);
        wire.release();
    }

    @Test
    void wrongExpectedPeerIsRejected() {
        PeerId someoneElse = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
        Libp2pNoiseHandshake init = new Libp2pNoiseHandshake(alice, true, Optional.of(someoneElse));
        Libp2pNoiseHandshake resp = new Libp2pNoiseHandshake(bob, false, Optional.empty());
        byte[] m2 = resp.onMessage(init.start().orElseThrow()).orElseThrow();
        assertThatThrownBy(() -> init.onMessage(m2)).isInstanceOf(NoiseException.class).hasMessageContaining("expected");
    }

    @Test
    void foreignResponderWithExtensionsIsAcceptedAndBadSignatureRejected() throws Exception {
        for (boolean validSignature : new boolean[] {true, false}) {
            Libp2pNoiseHandshake init = new Libp2pNoiseHandshake(alice, true, Optional.empty());
            X25519KeyPair remoteStatic = X25519KeyPair.generate();
            NoiseHandshake remote = new NoiseHandshake(false, remoteStatic, Optional.empty(), new byte[0]);
            remote.readMessage(init.start().orElseThrow());
            byte[] signed = concat("noise-libp2p-static-key:".getBytes(StandardCharsets.UTF_8),
                    validSignature ? remoteStatic.publicKey() : X25519KeyPair.generate().publicKey());
            byte[] payload = NoiseHandshakePayload.newBuilder()
                    .setIdentityKey(ByteString.copyFrom(bob.publicKey().marshal()))
                    .setIdentitySig(ByteString.copyFrom(bob.sign(signed)))
                    .setExtensions(NoiseExtensions.newBuilder().addStreamMuxers("/yamux/1.0.0")
                            .addWebtransportCerthashes(ByteString.copyFrom(new byte[] {1, 2})))
                    .build().toByteArray();
            byte[] m2 = remote.writeMessage(payload);
            if (validSignature) {
                byte[] m3 = init.onMessage(m2).orElseThrow();
                assertThat(init.result().remotePeer()).isEqualTo(PeerId.fromPublicKey(bob.publicKey()));
                assertThat(NoiseHandshakePayload.parseFrom(remote.readMessage(m3)).hasExtensions()).isFalse();
            } else {
                assertThatThrownBy(() -> init.onMessage(m2)).isInstanceOf(NoiseException.class).hasMessageContaining("identity_sig");
            }
        }
    }

    @Test
    void payloadWithoutIdentityIsRejected() {
        Libp2pNoiseHandshake init = new Libp2pNoiseHandshake(alice, true, Optional.empty());
        NoiseHandshake remote = new NoiseHandshake(false, X25519KeyPair.generate(), Optional.empty(), new byte[0]);
        remote.readMessage(init.start().orElseThrow());
        byte[] m2 = remote.writeMessage(new byte[] {(byte) 0xff, 0x01});
        assertThatThrownBy(() -> init.onMessage(m2)).isInstanceOf(NoiseException.class);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
