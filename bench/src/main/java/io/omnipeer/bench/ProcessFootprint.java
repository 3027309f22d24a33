package io.omnipeer.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Resident memory and CPU time of running processes from Linux /proc: {@code smaps_rollup} (Rss, Pss) and
 * {@code stat} (utime + stime, fields 14 and 15, in clock ticks). Pss splits pages shared between processes (the
 * node binary of ten js nodes, the JDK's CDS archive), so sums over several processes do not count them twice.
 */
final class ProcessFootprint {
    /** What {@link #measure} saw: medians over 1-second samples of the summed Rss/Pss, CPU over the window. */
    record Sample(double rssMiB, double pssMiB, double cpuPercent, double maxRssMiB) {
    }

    private static final long CLOCK_TICKS = clockTicks();

    private ProcessFootprint() {
    }

    private static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor();
            return Long.parseLong(out);
        } catch (IOException | InterruptedException | NumberFormatException e) {
            return 100;
        }
    }

    /** Samples {@code pids} once a second for {@code window}; CPU% is of one core (100 = one core busy). */
    static Sample measure(List<Long> pids, Duration window) throws IOException, InterruptedException {
        long cpu0 = cpuTicks(pids);
        long t0 = System.nanoTime();
        List<Double> rss = new ArrayList<>();
        List<Double> pss = new ArrayList<>();
        long end = t0 + window.toNanos();
        while (System.nanoTime() < end) {
            Thread.sleep(1000);
            double r = 0;
            double p = 0;
            for (long pid : pids) {
                long[] m = memoryKiB(pid);
                r += m[0] / 1024.0;
                p += m[1] / 1024.0;
            }
            rss.add(r);
            pss.add(p);
        }
        long cpu1 = cpuTicks(pids);
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpuPct = (cpu1 - cpu0) / (double) CLOCK_TICKS / seconds * 100;
        return new Sample(Stats.of(rss).median(), Stats.of(pss).median(), cpuPct, Stats.of(rss).max());
    }

    private static long cpuTicks(List<Long> pids) throws IOException {
        long sum = 0;
        for (long pid : pids) {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) may hold spaces; fields after its closing parenthesis are fixed.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            sum += Long.parseLong(f[11]) + Long.parseLong(f[12]);
        }
        return sum;
    }

    /** {Rss, Pss} in KiB. */
    private static long[] memoryKiB(long pid) throws IOException {
        long rss = 0;
        long pss = 0;
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps_rollup"))) {
            if (line.startsWith("Rss:")) {
                rss = Long.parseLong(line.replaceAll("\\D+", ""));
            } else if (line.startsWith("Pss:")) {
                pss = Long.parseLong(line.replaceAll("\\D+", ""));
            }
        }
        return new long[] {rss, pss};
    }
}
