package io.omnipeer.control;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omnipeer.protocol.control.ErrorCodes;
import io.omnipeer.protocol.control.JsonRpcCodec;
import io.omnipeer.protocol.control.Methods;
import io.omnipeer.protocol.control.RpcException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * {@code notifications.show} (API.md, "apps platform"): the daemon decides whether a page may show a desktop
 * notification, the extension shows it. The grant check ({@code notifications}) is in {@link OriginPolicy}; here the
 * text is bounded and each principal may show at most {@link #MAX_PER_WINDOW} notifications per
 * {@link #WINDOW_MILLIS} ms, so a page cannot flood the desktop. Requests without origin (CLI) are not rate-limited.
 * Thread-safe.
 */
final class NotificationRequests {
    /** Longest title, in UTF-16 chars. */
    static final int MAX_TITLE_LENGTH = 128;
    /** Longest body, in UTF-16 chars. */
    static final int MAX_BODY_LENGTH = 1024;
    /** Notifications one principal may show per window. */
    static final int MAX_PER_WINDOW = 10;
    /** The rate window, in ms. */
    static final long WINDOW_MILLIS = 60_000;
    /** Principals whose recent notifications are remembered (the oldest entry is forgotten past this). */
    private static final int MAX_PRINCIPALS = 1024;

    private final LongSupplier clockMillis;
    private final Map<String, Deque<Long>> recent = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Deque<Long>> eldest) {
            return size() > MAX_PRINCIPALS;
        }
    };

    NotificationRequests(LongSupplier clockMillis) {
        this.clockMillis = clockMillis;
    }

    static boolean handles(String method) {
        return Methods.NOTIFICATIONS_SHOW.equals(method);
    }

    /**
     * Validates {@code {title, body?}} and counts the notification against the principal's rate.
     *
     * @return {@code {}}: the caller may show it
     * @throws IllegalArgumentException (→ -32602) for a missing, empty, over-long or control-character title or body
     * @throws RpcException             {@link ErrorCodes#RESOURCE_LIMIT} past {@link #MAX_PER_WINDOW} per window
     */
    ObjectNode show(String principal, ObjectNode params) {
        String title = RequestDispatcher.text(params, "title");
        check("title", title, MAX_TITLE_LENGTH);
        if (params.has("body")) {
            if (!params.get("body").isTextual()) {
                throw new IllegalArgumentException("params.body must be a string");
            }
            check("body", params.get("body").textValue(), MAX_BODY_LENGTH);
        }
        if (principal != null) {
            count(principal);
        }
        return JsonRpcCodec.mapper().createObjectNode();
    }

    private synchronized void count(String principal) {
        long now = clockMillis.getAsLong();
        Deque<Long> times = recent.computeIfAbsent(principal, p -> new ArrayDeque<>());
        while (!times.isEmpty() && now - times.peekFirst() >= WINDOW_MILLIS) {
            times.removeFirst();
        }
        if (times.size() >= MAX_PER_WINDOW) {
            throw new RpcException(ErrorCodes.RESOURCE_LIMIT, "notifications: " + principal + " showed "
                    + times.size() + " in the last " + WINDOW_MILLIS / 1000 + " s, at most " + MAX_PER_WINDOW);
        }
        times.addLast(now);
    }

    private static void check(String field, String value, int max) {
        if (value.length() > max) {
            throw new IllegalArgumentException("params." + field + " must be at most " + max + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < ' ' && c != '\n') || c == 0x7f) {
                throw new IllegalArgumentException("params." + field + " contains a control character");
            }
        }
    }
}
