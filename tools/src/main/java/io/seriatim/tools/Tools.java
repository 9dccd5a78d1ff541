package io.seriatim.tools;

import io.seriatim.cli.Seriatim;
import io.seriatim.tools.bench.BenchCommand;
import io.seriatim.tools.bench.deploy.BenchClientCommand;
import io.seriatim.tools.demo.DemoCommand;
import io.seriatim.tools.faults.FaultsCommand;
import io.seriatim.tools.repair.RepairBenchCommand;
import picocli.CommandLine;

/**
 * The {@code seriatim} command with the tools that stay out of the product jar: {@code demo},
 * {@code bench} and {@code faults}. The launcher runs it for those three commands only; the bench
 * runs it as the hidden {@code bench-client}, its client process.
 */
public final class Tools {
    private Tools() {}

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; tests call {@code execute} on it directly. */
    public static CommandLine commandLine() {
        return Seriatim.commandLine(new DemoCommand(), new BenchCommand(), new FaultsCommand(),
                new BenchClientCommand(), new RepairBenchCommand());
    }
}
