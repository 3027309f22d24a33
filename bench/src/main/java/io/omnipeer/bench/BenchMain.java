package io.omnipeer.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Entry point of {@code ./bench/run.sh [--quick] [section...]}: sections {@code throughput connect sendpath startup footprint bridge jmh throttle}
 * (all when none given) write {@code bench/results/<section>.csv}; {@code sim} (only when named) runs the simulator
 * ({@link SimBench}; options {@code --sim-dht-sizes 1000,10000}, {@code --sim-gossip-sizes 1000,10000} (empty: skip),
 * {@code --sim-churn 0,0.05} (churn rates per size)); {@code report} (always run last) rebuilds
 * {@code bench/README.md} and the plots from whatever CSVs exist. {@code --quick} shrinks every section to a few
 * seconds (a smoke test of the harness, not figures). Options: {@code --repo DIR} (default: working directory),
 * {@code --baseline-jar JAR} (adds our stack built from an earlier commit as the "before" pair),
 * {@code --pair TEXT} (repeatable: only throughput/connect pairs whose label contains it),
 * {@code --jmh-include REGEX} (a subset of the JMH benchmarks).
 */
public final class BenchMain {
    private BenchMain() {
    }

    static void log(String format, Object... args) {
        System.out.printf(Locale.ROOT, "[bench %s] %s%n", Instant.now().truncatedTo(ChronoUnit.SECONDS),
                String.format(Locale.ROOT, format, args));
        System.out.flush();
    }

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv, java.util.Set.of("quick"));
        boolean quick = Boolean.parseBoolean(args.get("quick", "false"));
        Path repo = Path.of(args.get("repo", ".")).toAbsolutePath().normalize();
        Path bench = repo.resolve("bench");
        Path results = quick ? bench.resolve("results/tmp/quick/results") : bench.resolve("results");
        Path tmp = bench.resolve("results/tmp");
        Files.createDirectories(results);
        Files.createDirectories(tmp); // scratch space (data dirs, CDS archives): absent in a fresh clone
        String baseline = args.get("baseline-jar", "");
        Launch launch = new Launch(repo, tmp, baseline.isEmpty() ? null : Path.of(baseline).toAbsolutePath());
        launch.pairFilter(args.all("pair"));
        List<String> sections = new ArrayList<>(args.positionals());
        if (sections.isEmpty()) {
            sections.addAll(List.of("throughput", "connect", "sendpath", "startup", "footprint", "bridge", "jmh", "throttle"));
        }
        if (sections.stream().anyMatch(s -> !s.equals("report"))) {
            writeMachine(results, launch);
        }
        for (String s : sections) {
            log("section %s", s);
            if (!s.equals("report")) {
                // One line per section: a re-run replaces the section's earlier line.
                Path machine = results.resolve("machine.txt");
                List<String> lines = new ArrayList<>(Files.readAllLines(machine));
                lines.removeIf(l -> l.startsWith("section " + s + " started "));
                lines.add(String.format(Locale.ROOT, "section %s started %s at load average %.2f", s,
                        Instant.now().truncatedTo(ChronoUnit.SECONDS),
                        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
                Files.write(machine, lines);
            }
            try {
                switch (s) {
                    case "throughput" -> new ThroughputBench(launch, quick ? 8L << 20 : 128L << 20, quick ? 2 : 5)
                            .run(results.resolve("throughput.csv"));
                    case "connect" -> new ConnectBench(launch, quick ? 5 : 200, quick ? 2 : 20)
                            .run(results.resolve("connect.csv"));
                    case "startup" -> new StartupBench(launch, quick ? 1 : 10, quick ? 1 : 5).run(results.resolve("startup.csv"),
                            quick ? List.of(DaemonVariant.LAUNCHER) : DaemonVariant.candidates(tmp));
                    case "footprint" -> new FootprintBench(launch, Duration.ofSeconds(quick ? 2 : 60),
                            Duration.ofSeconds(quick ? 2 : 60)).run(results.resolve("footprint.csv"),
                            quick ? new int[] {0, 2} : new int[] {0, 20, 100}, quick ? 2 : 20,
                            quick ? List.of() : DaemonVariant.candidates(tmp));
                    case "throttle" -> new ThrottleBench(quick ? new long[] {256, 4096} : new long[] {64, 256, 1024, 4096, 16384},
                            quick ? 1 : 2, quick ? 1 : 3).run(results.resolve("throttle.csv"));
                    case "sim" -> new SimBench(sizes(args.get("sim-gossip-sizes", quick ? "200" : "1000,10000")),
                            sizes(args.get("sim-dht-sizes", quick ? "200" : "1000,10000")),
                            java.util.Arrays.stream(args.get("sim-churn", "0,0.05").split(","))
                                    .map(String::trim).map(Double::parseDouble).toList()).run(results);
                    case "bridge" -> new BridgeBench(launch, quick ? 10 : 300, quick ? 4 : 60)
                            .run(results.resolve("bridge.csv"));
                    case "sendpath" -> new SendPathBench(launch, quick ? 8L << 20 : 256L << 20, quick ? 1 : 5)
                            .run(results.resolve("sendpath.csv"));
                    case "jmh" -> new JmhBench(1, quick ? 1 : 3, quick ? 1 : 5,
                            org.openjdk.jmh.runner.options.TimeValue.seconds(1))
                            .run(results.resolve("jmh.csv"), args.get("jmh-include", "io\\.omnipeer\\.bench\\.jmh\\..*"));
                    case "report" -> {
                        // below
                    }
                    default -> throw new IllegalArgumentException("unknown section " + s);
                }
            } catch (Exception e) {
                // One section failing (a child that would not start, a timeout) must not cost the others' figures.
                log("section %s FAILED: %s", s, e);
                e.printStackTrace(System.out);
            }
        }
        // A quick run reports next to its own results (bench/results/tmp/quick/README.md), never over the figures.
        new Report(results.getParent()).write();
        log("done");
        System.exit(0);
    }

    private static List<Integer> sizes(String csv) {
        return java.util.Arrays.stream(csv.split(",")).map(String::trim).filter(x -> !x.isEmpty()).map(Integer::parseInt)
                .toList();
    }

    /** Appends what the figures came from: CPU, cores, memory, kernel, JDK, Node, load, time. */
    private static void writeMachine(Path results, Launch launch) throws IOException {
        List<String> lines = new ArrayList<>();
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?");
        String mem = Files.readAllLines(Path.of("/proc/meminfo")).getFirst().replaceAll("\\s+", " ");
        lines.add("date: " + Instant.now().truncatedTo(ChronoUnit.SECONDS));
        lines.add("CPU: " + cpu + ", " + Runtime.getRuntime().availableProcessors() + " cores");
        lines.add(mem);
        lines.add("kernel: " + System.getProperty("os.name") + " " + System.getProperty("os.version"));
        lines.add("JDK: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        lines.add("Node: " + run(List.of(launch.nodeBinary().toString(), "--version")));
        lines.add("other sessions' test suites share these cores: see the load average per section below");
        Path f = results.resolve("machine.txt");
        List<String> old = Files.exists(f) ? Files.readAllLines(f) : List.of();
        // Keep the per-section lines of earlier runs (sections may run one at a time), refresh the rest.
        old.stream().filter(l -> l.startsWith("section ")).forEach(lines::add);
        Files.write(f, lines);
    }

    private static String run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor();
            return out;
        } catch (IOException | InterruptedException e) {
            return "?";
        }
    }
}
