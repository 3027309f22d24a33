package io.omnipeer.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The ceiling: the perf exchange (8-byte big-endian count, upload, half-close, download, close) on plain TCP
 * sockets (JDK NIO, blocking, one thread per connection, 64 KiB writes) with no encryption and no multiplexing.
 * One TCP connection per perf "stream". Same modes and output lines as {@link PerfServerMain} ({@code server})
 * and {@link PerfClientMain} ({@code client}, {@code connect}); addresses are {@code /ip4/127.0.0.1/tcp/PORT}.
 */
public final class RawTcpMain {
    private static final int BLOCK = 64 * 1024;
    private static final int HEADER = 8;

    private RawTcpMain() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv);
        try {
            switch (args.mode("server")) {
                case "server" -> server();
                case "client" -> client(args);
                case "connect" -> connect(args);
                default -> throw new IllegalArgumentException("unknown mode " + args.mode("server"));
            }
            System.exit(0);
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static void server() throws IOException {
        ServerSocketChannel listener = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0), 1024);
        int port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
        var ready = JsonLines.event("ready").put("peerId", "raw-tcp");
        ready.putArray("addrs").add("/ip4/127.0.0.1/tcp/" + port);
        JsonLines.emit(ready);
        Thread.ofPlatform().daemon().start(() -> {
            try {
                while (true) {
                    SocketChannel s = listener.accept();
                    Thread.ofPlatform().daemon().start(() -> serve(s));
                }
            } catch (IOException e) {
                // listener closed
            }
        });
        JsonLines.awaitStdinClosed();
        listener.close();
    }

    private static void serve(SocketChannel s) {
        try (s) {
            s.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ByteBuffer buf = ByteBuffer.allocateDirect(BLOCK);
            long want = -1;
            while (true) {
                int n = s.read(buf);
                if (n < 0) {
                    break;
                }
                if (want < 0 && buf.position() >= HEADER) {
                    want = buf.getLong(0);
                }
                if (want >= 0) {
                    buf.clear();
                }
            }
            if (want < 0) {
                return;
            }
            send(s, want, ByteBuffer.allocateDirect(BLOCK));
        } catch (IOException e) {
            System.err.println("raw server: " + e);
        }
    }

    private static void send(SocketChannel s, long count, ByteBuffer zeros) throws IOException {
        long left = count;
        while (left > 0) {
            zeros.clear().limit((int) Math.min(left, BLOCK));
            while (zeros.hasRemaining()) {
                left -= s.write(zeros);
            }
        }
    }

    /** One perf exchange on a new connection; returns the bytes downloaded (checked). */
    private static long exchange(InetSocketAddress to, long up, long down) throws IOException {
        try (SocketChannel s = SocketChannel.open(to)) {
            s.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ByteBuffer header = ByteBuffer.allocate(HEADER).putLong(0, down);
            while (header.hasRemaining()) {
                s.write(header);
            }
            send(s, up, ByteBuffer.allocateDirect(BLOCK));
            s.shutdownOutput();
            ByteBuffer in = ByteBuffer.allocateDirect(BLOCK);
            long got = 0;
            int n;
            while ((n = s.read(in.clear())) >= 0) {
                got += n;
            }
            if (got != down) {
                throw new IOException("server sent " + got + " bytes, " + down + " asked");
            }
            return got;
        }
    }

    private static InetSocketAddress target(Args args) {
        String[] parts = args.get("addr", "").split("/");
        return new InetSocketAddress(parts[2], Integer.parseInt(parts[4]));
    }

    private static void client(Args args) throws Exception {
        InetSocketAddress to = target(args);
        long up = args.getLong("upload", 0);
        long down = args.getLong("download", 0);
        int k = args.getInt("streams", 1);
        int runs = args.getInt("runs", 1);
        ExecutorService pool = Executors.newFixedThreadPool(k);
        for (int i = -args.getInt("warmup", 1); i < runs; i++) {
            long start = System.nanoTime();
            List<Future<Long>> all = new ArrayList<>();
            for (int s = 0; s < k; s++) {
                all.add(pool.submit(() -> exchange(to, up, down)));
            }
            for (Future<Long> f : all) {
                f.get(PerfClientMain.ROUND_TIMEOUT_S, TimeUnit.SECONDS);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (i >= 0) {
                JsonLines.emit(JsonLines.event("run").put("run", i).put("streams", k).put("uploadBytes", up * k)
                        .put("downloadBytes", down * k).put("seconds", seconds));
            }
        }
        pool.shutdownNow();
        JsonLines.emit(JsonLines.event("done"));
    }

    private static void connect(Args args) throws Exception {
        InetSocketAddress to = target(args);
        for (int i = -args.getInt("warmup", 1); i < args.getInt("runs", 1); i++) {
            long start = System.nanoTime();
            exchange(to, 1, 1);
            double ms = (System.nanoTime() - start) / 1e6;
            if (i >= 0) {
                JsonLines.emit(JsonLines.event("connect").put("run", i).put("ms", ms));
            }
        }
        JsonLines.emit(JsonLines.event("done"));
    }
}
