package io.omnipeer.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

/**
 * One in-process run of the {@code omnipeer} CLI against a data directory, with what it printed.
 *
 * @param exit the command's exit code
 * @param out  everything printed on standard output
 * @param err  everything printed on standard error
 */
record CliRun(int exit, String out, String err) {

    /** Runs {@code omnipeer --data-dir DATADIR ARGS...} in this JVM and captures both streams. */
    static CliRun in(Path dataDir, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] full = new String[args.length + 2];
        full[0] = "--data-dir";
        full[1] = dataDir.toString();
        System.arraycopy(args, 0, full, 2, args.length);
        int exit = OmnipeerCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true), full);
        return new CliRun(exit, out.toString(), err.toString());
    }
}
