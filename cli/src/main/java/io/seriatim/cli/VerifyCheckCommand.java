package io.seriatim.cli;

import io.seriatim.verify.HistoryChecker;
import io.seriatim.verify.HistoryFiles;
import io.seriatim.verify.Verdict;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "verify-check", mixinStandardHelpOptions = true,
        description = "Check what verify-produce and verify-consume recorded: loss, unexpected runs, per-key order, stale fences. Exit 0 if all hold.")
final class VerifyCheckCommand implements Callable<Integer> {
    @Option(names = "--produced", required = true, split = ",", description = "verify-produce output file(s)")
    List<Path> produced;

    @Option(names = "--consumed", required = true, split = ",", description = "verify-consume output file(s)")
    List<Path> consumed;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        Verdict v = new HistoryChecker().check(HistoryFiles.submitted(produced), HistoryFiles.runs(consumed));
        PrintWriter out = spec.commandLine().getOut();
        out.println(v.summary());
        v.examples().forEach(e -> out.println("  " + e));
        return v.ok() ? ExitCode.OK : ExitCode.FAILED;
    }
}
