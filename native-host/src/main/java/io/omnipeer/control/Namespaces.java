package io.omnipeer.control;

import io.omnipeer.apps.AppManifest;
import io.omnipeer.core.Multibase;
import io.omnipeer.protocol.control.ErrorCodes;
import io.omnipeer.protocol.control.RpcException;
import io.omnipeer.pubsub.gossipsub.GossipRouter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The namespace a caller's names live in (API.md, "apps platform", "Namespacing"): an installed app
 * ({@code app:<id>}) uses its id; a web origin uses {@code web-} + the lowercase base32 of the first 10 bytes of
 * SHA-256 of the origin (16 characters). DHT keys, protocols and storage of a caller map under
 * {@code /omnipeer/app/<namespace>/...}, so nothing a caller sends leaves its namespace. An {@code app:} principal whose
 * id is not a valid reverse-DNS app id ({@link AppManifest#ID}: no '/', no "..") is hashed like a web origin.
 * Pubsub topics ({@link #wireTopic}) are namespaced for installed apps only: a plain web page shares the public
 * topic space with the CLI and other libp2p clients, but never an app's. Stateless.
 */
public final class Namespaces {
    static final String APP_PREFIX = "app:";
    /** Where every namespaced name lives on the wire: {@code /omnipeer/app/<namespace>/<name>}. */
    static final String WIRE_PREFIX = "/omnipeer/app/";
    private static final int HASH_BYTES = 10;

    private Namespaces() {
    }

    /** The namespace of {@code origin} (a web origin or {@code app:<id>}). */
    public static String of(String origin) {
        if (origin.startsWith(APP_PREFIX) && AppManifest.ID.matcher(origin.substring(APP_PREFIX.length())).matches()) {
            return origin.substring(APP_PREFIX.length());
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(origin.getBytes(StandardCharsets.UTF_8));
            return "web-" + Multibase.encode(Multibase.BASE32_LOWER, Arrays.copyOf(hash, HASH_BYTES)).substring(1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /**
     * The gossipsub topic a caller's {@code topic} maps to on the wire: for an app principal ({@code app:<id>})
     * {@code /omnipeer/app/<id>/<topic>}; for the CLI or popup ({@code principal == null}) and for a plain web
     * origin the topic itself. Pages see and are granted the topic as they named it ({@code pubsub:<topic>}).
     *
     * @throws RpcException             {@link ErrorCodes#UNAUTHORIZED} (4100) when a web origin names a topic in
     *                                  the apps' space ({@code /omnipeer/app/...}), which would read or write an
     *                                  app's topic
     * @throws IllegalArgumentException when the wire topic would be longer than
     *                                  {@link GossipRouter#MAX_TOPIC_LENGTH} characters
     */
    public static String wireTopic(String principal, String topic) {
        if (principal == null) {
            return topic;
        }
        if (!principal.startsWith(APP_PREFIX)) {
            if (topic.startsWith(WIRE_PREFIX)) {
                throw new RpcException(ErrorCodes.UNAUTHORIZED, "topics under " + WIRE_PREFIX
                        + " belong to installed apps; " + principal + " may not use " + topic);
            }
            return topic;
        }
        String wire = WIRE_PREFIX + of(principal) + "/" + topic;
        if (wire.length() > GossipRouter.MAX_TOPIC_LENGTH) {
            throw new IllegalArgumentException("topic too long: " + topic.length() + " characters, at most "
                    + (GossipRouter.MAX_TOPIC_LENGTH - (wire.length() - topic.length())) + " for this app");
        }
        return wire;
    }
}
