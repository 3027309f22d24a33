package io.omnipeer.cli;

import io.omnipeer.demo.Demo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code omnipeer demo}: the local demo network (three daemons on loopback), see {@link Demo}. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start three daemons on loopback; show discovery (bootstrap list and mDNS), identify, ping "
                + "and a pubsub message reaching the other two. Exits 0 on success, 1 with the reason otherwise.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--keep-data", description = "Keep the daemons' data dirs (printed at start) after the demo.")
    boolean keepData;

    @Override
    public Integer call() throws Exception {
        Path root = Files.createTempDirectory("omnipeer-demo-");
        return new Demo(System.out, root, keepData).run();
    }
}
