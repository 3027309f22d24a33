package io.omnipeer.e2e.browser;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A tiny HTTP server on 127.0.0.1 (random port) serving the test app pages from the test
 * classpath ({@code io/omnipeer/e2e/browser/pages/}). Each instance is its own web origin
 * ({@code http://127.0.0.1:<port>}), so two instances give two apps with separate grants.
 * Only GET of known files; everything else is 404. Thread-safe; {@link #close()} stops it.
 */
public final class TestPages implements AutoCloseable {

    private static final String RESOURCES = "/io/omnipeer/e2e/browser/pages/";
    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8");

    private final HttpServer server;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "test-pages");
        t.setDaemon(true);
        return t;
    });

    public TestPages() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", this::serve);
        server.setExecutor(executor);
        server.start();
    }

    /** The page's web origin, {@code http://127.0.0.1:<port>}. */
    public String origin() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Absolute URL of a page, e.g. {@code url("app.html")}. */
    public String url(String page) {
        return origin() + "/" + page;
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String name = exchange.getRequestURI().getPath().replaceFirst("^/", "");
            String ext = name.substring(name.lastIndexOf('.') + 1);
            byte[] body = null;
            if ("GET".equals(exchange.getRequestMethod()) && name.matches("[a-z0-9-]+\\.(html|js)")) {
                try (InputStream in = TestPages.class.getResourceAsStream(RESOURCES + name)) {
                    if (in != null) body = in.readAllBytes();
                }
            }
            if (body == null) {
                byte[] notFound = "not found".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(404, notFound.length);
                exchange.getResponseBody().write(notFound);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPES.get(ext));
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
