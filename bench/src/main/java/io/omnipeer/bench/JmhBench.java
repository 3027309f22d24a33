package io.omnipeer.bench;

import java.nio.file.Path;
import java.util.Collection;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the JMH micro-benchmarks of {@code io.omnipeer.bench.jmh} briefly (the machine is shared): one fork per
 * benchmark, short warm-up and measurement iterations. Writes {@code jmh.csv}:
 * benchmark,params,mode,score,error,unit,samples (error = JMH's 99.9 % half-interval; NaN with too few samples).
 */
final class JmhBench {
    private final int forks;
    private final int warmupIterations;
    private final int iterations;
    private final TimeValue iterationTime;

    JmhBench(int forks, int warmupIterations, int iterations, TimeValue iterationTime) {
        this.forks = forks;
        this.warmupIterations = warmupIterations;
        this.iterations = iterations;
        this.iterationTime = iterationTime;
    }

    void run(Path csvFile, String include) throws Exception {
        Options opts = new OptionsBuilder()
                .include(include)
                .forks(forks)
                .warmupIterations(warmupIterations).warmupTime(iterationTime)
                .measurementIterations(iterations).measurementTime(iterationTime)
                .timeout(TimeValue.minutes(2))
                .jvmArgsAppend("-XX:+UseSerialGC", "-Xmx512m")
                .shouldFailOnError(true)
                .build();
        Collection<RunResult> results = new Runner(opts).run();
        Csv csv = new Csv("benchmark", "params", "mode", "score", "error", "unit", "samples");
        for (RunResult r : results) {
            Result<?> p = r.getPrimaryResult();
            String bench = r.getParams().getBenchmark().replace("io.omnipeer.bench.jmh.", "");
            StringBuilder params = new StringBuilder();
            for (String k : r.getParams().getParamsKeys()) {
                params.append(params.isEmpty() ? "" : " ").append(k).append('=').append(r.getParams().getParam(k));
            }
            csv.add(bench, params.toString(), r.getParams().getMode().shortLabel(), p.getScore(), p.getScoreError(),
                    p.getScoreUnit(), p.getSampleCount());
            BenchMain.log("jmh %s %s: %.3f ± %.3f %s", bench, params, p.getScore(), p.getScoreError(), p.getScoreUnit());
        }
        csv.write(csvFile);
    }
}
