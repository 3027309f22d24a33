package io.omnipeer.host;

import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;
import io.omnipeer.core.PeerId;
import io.omnipeer.core.crypto.PrivateKey;
import io.omnipeer.muxer.yamux.YamuxSession;
import io.omnipeer.muxer.yamux.YamuxStreamChannel;
import io.omnipeer.negotiation.multistream.MultistreamHandler;
import io.omnipeer.rcmgr.ConnectionScope;
import io.omnipeer.security.noise.Libp2pNoiseHandshake;
import io.omnipeer.security.noise.NoiseHandler;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upgrades a raw TCP channel to a libp2p connection: multistream-select {@code /noise} → Noise XX →
 * multistream-select {@code /yamux/1.0.0} → {@link YamuxSession}. Spec: libp2p/specs connections/README.md,
 * "Upgrading Connections". Each step has its own timeout and the whole upgrade {@link #UPGRADE_TIMEOUT}; any
 * failure closes the channel and fails the future. Stateless apart from its configuration; thread-safe.
 */
final class ConnectionUpgrader {
    /** Bound on the whole upgrade (the steps' own timeouts are 10 s each). */
    static final Duration UPGRADE_TIMEOUT = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionUpgrader.class);

    private final PrivateKey identity;
    private final int maxStreams;
    private final BiConsumer<YamuxConnection, YamuxStreamChannel> inboundStreams;

    ConnectionUpgrader(PrivateKey identity, int maxStreams, BiConsumer<YamuxConnection, YamuxStreamChannel> inboundStreams) {
        this.identity = identity;
        this.maxStreams = maxStreams;
        this.inboundStreams = inboundStreams;
    }

    /**
     * Installs the upgrade on {@code ch} (before or after it is active); once Noise authenticated the peer the
     * connection joins its peer's resource scope, and fails here if that passes a limit.
     */
    CompletableFuture<YamuxConnection> upgrade(Channel ch, boolean initiator, Optional<PeerId> expectedRemote,
                                               ConnectionScope scope) {
        CompletableFuture<YamuxConnection> result = new CompletableFuture<>();
        ScheduledFuture<?> timeout = ch.eventLoop().schedule(() -> {
            if (result.completeExceptionally(new UpgradeException("upgrade not finished within " + UPGRADE_TIMEOUT.toMillis() + " ms"))) {
                ch.close();
            }
        }, UPGRADE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        result.whenComplete((c, e) -> timeout.cancel(false));
        ch.closeFuture().addListener(f -> result.completeExceptionally(new UpgradeException("connection closed during upgrade")));

        MultistreamHandler security = negotiation(initiator, Libp2pNoiseHandshake.PROTOCOL_ID);
        ch.pipeline().addLast("security-negotiation", security);
        security.selected().whenComplete((p, e) -> {
            if (e != null) {
                fail(ch, result, e);
                return;
            }
            NoiseHandler noise = new NoiseHandler(identity, initiator, expectedRemote);
            ch.pipeline().addLast("noise", noise);
            noise.handshakeFuture().whenComplete((secured, e2) -> {
                if (e2 != null) {
                    fail(ch, result, e2);
                    return;
                }
                try {
                    scope.setPeer(secured.remotePeer());
                } catch (RuntimeException limit) {
                    LOG.info("{}: refusing connection of {}: {}", ch, secured.remotePeer(), limit.getMessage());
                    fail(ch, result, limit);
                    return;
                }
                MultistreamHandler muxer = negotiation(initiator, YamuxSession.PROTOCOL_ID);
                ch.pipeline().addLast("muxer-negotiation", muxer);
                muxer.selected().whenComplete((p3, e3) -> {
                    if (e3 != null) {
                        fail(ch, result, e3);
                        return;
                    }
                    YamuxConnection connection = new YamuxConnection(ch, secured, initiator, scope);
                    YamuxSession session = new YamuxSession(initiator, maxStreams, stream -> inboundStreams.accept(connection, stream));
                    connection.attach(session);
                    YamuxSession.install(ch.pipeline(), session);
                    if (!result.complete(connection)) {
                        ch.close();
                    }
                });
            });
        });
        return result;
    }

    private static MultistreamHandler negotiation(boolean initiator, String protocol) {
        return initiator ? MultistreamHandler.initiator(List.of(protocol)) : MultistreamHandler.responder(() -> Set.of(protocol));
    }

    private static void fail(Channel ch, CompletableFuture<YamuxConnection> result, Throwable e) {
        if (result.completeExceptionally(e)) {
            LOG.debug("{}: upgrade failed: {}", ch, e.getMessage());
        }
        ch.close();
    }

    /** The connection upgrade did not complete. */
    static final class UpgradeException extends RuntimeException {
        UpgradeException(String message) {
            super(message);
        }
    }
}
