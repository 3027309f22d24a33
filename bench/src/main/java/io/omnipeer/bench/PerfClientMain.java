package io.omnipeer.bench;

import io.omnipeer.core.Connection;
import io.omnipeer.core.Multiaddr;
import io.omnipeer.core.crypto.Ed25519PrivateKey;
import io.omnipeer.host.DefaultHost;
import io.omnipeer.host.InMemoryPeerstore;
import io.omnipeer.protocol.perf.PerfResult;
import io.omnipeer.protocol.perf.PerfService;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Our perf client as its own process, with the same modes and output lines as {@code e2e-tests/js/perf.mjs}:
 * <ul>
 * <li>{@code client --addr A [--upload B] [--download B] [--streams K] [--runs R] [--warmup W]}: one connection;
 *     per round K perf streams at once; prints {@code {"event":"run","run","streams","uploadBytes","downloadBytes",
 *     "seconds"}} (sums over streams)</li>
 * <li>{@code connect --addr A [--runs R] [--warmup W]}: per round a new connection and one perf stream with a
 *     1-byte upload and 1-byte download; prints {@code {"event":"connect","run","ms"}}</li>
 * </ul>
 * Ends with {@code {"event":"done"}}; exits 1 on an error. Each round is bounded by {@link #ROUND_TIMEOUT_S}.
 */
public final class PerfClientMain {
    static final long ROUND_TIMEOUT_S = 120;

    private PerfClientMain() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv);
        DefaultHost host = new DefaultHost(Ed25519PrivateKey.generate(), new InMemoryPeerstore(), "omnipeer-bench/0.1");
        PerfService perf = new PerfService(host);
        Multiaddr addr = Multiaddr.parse(args.get("addr", ""));
        int runs = args.getInt("runs", 1);
        int warmup = args.getInt("warmup", 1);
        try {
            switch (args.mode("client")) {
                case "client" -> client(host, perf, addr, args, runs, warmup);
                case "connect" -> connect(host, perf, addr, runs, warmup);
                default -> throw new IllegalArgumentException("unknown mode " + args.mode("client"));
            }
            JsonLines.emit(JsonLines.event("done"));
            host.close().get(10, TimeUnit.SECONDS);
            System.exit(0);
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static void client(DefaultHost host, PerfService perf, Multiaddr addr, Args args, int runs, int warmup)
            throws Exception {
        long up = args.getLong("upload", 0);
        long down = args.getLong("download", 0);
        int k = args.getInt("streams", 1);
        Connection c = host.dial(addr).get(20, TimeUnit.SECONDS);
        for (int i = -warmup; i < runs; i++) {
            long start = System.nanoTime();
            List<CompletableFuture<PerfResult>> all = new ArrayList<>();
            for (int s = 0; s < k; s++) {
                all.add(perf.run(c, up, down));
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(ROUND_TIMEOUT_S, TimeUnit.SECONDS);
            double seconds = (System.nanoTime() - start) / 1e9;
            if (i >= 0) {
                JsonLines.emit(JsonLines.event("run").put("run", i).put("streams", k).put("uploadBytes", up * k)
                        .put("downloadBytes", down * k).put("seconds", seconds));
            }
        }
    }

    private static void connect(DefaultHost host, PerfService perf, Multiaddr addr, int runs, int warmup)
            throws Exception {
        for (int i = -warmup; i < runs; i++) {
            long start = System.nanoTime();
            Connection c = host.dial(addr).get(20, TimeUnit.SECONDS);
            perf.run(c, 1, 1).get(20, TimeUnit.SECONDS);
            double ms = (System.nanoTime() - start) / 1e6;
            c.close().get(20, TimeUnit.SECONDS);
            if (i >= 0) {
                JsonLines.emit(JsonLines.event("connect").put("run", i).put("ms", ms));
            }
        }
    }
}
