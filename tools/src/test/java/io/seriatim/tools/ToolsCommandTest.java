package io.seriatim.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.seriatim.cli.ExitCode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The tools' commands: their arguments are checked before anything starts. */
class ToolsCommandTest {
    record Run(int exit, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Tools.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void helpListsTheToolsWithTheProductCommands() {
        assertThat(run("--help").out()).contains("demo", "bench", "faults", "worker", "gateway")
                .as("the bench's own client process is not a command for users").doesNotContain("bench-client");
    }

    @Test
    void benchAndFaultsRefuseBadArgumentsBeforeStartingAnything() {
        Run unknownFault = run("faults", "--scenario", "kill-worker,bogus");
        assertThat(unknownFault.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(unknownFault.err()).contains("unknown scenario(s) [bogus]");
        assertThat(unknownFault.out()).as("nothing ran").doesNotContain("| kill-worker |");
        Run noSeconds = run("faults", "--seconds", "0");
        assertThat(noSeconds.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(noSeconds.err()).contains("--seconds and --rate must be >= 1");
        Run noRuns = run("bench", "--runs", "0");
        assertThat(noRuns.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(noRuns.err()).contains("--runs must be >= 1");
        Run noWorkers = run("bench", "--scenario", "deploy-dense", "--workers", "0");
        assertThat(noWorkers.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(noWorkers.err()).contains("--workers must be >= 1, got 0");
        Run unknownBench = run("bench", "--scenario", "nope");
        assertThat(unknownBench.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(unknownBench.err()).contains("unknown scenario(s) [nope]");
    }

    @Test
    void aDirectoryThatCannotBeMadeIsOneLineNotAStackTrace(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("plain-file"), "");
        Run r = run("demo", "--dir", file.resolve("histories").toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err().strip()).doesNotContain("\n", "at io.", "Exception")
                .isEqualTo("seriatim: " + file.resolve("histories") + ": Not a directory");
        Run badSeed = run("faults", "--seed", "abc");
        assertThat(badSeed.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(badSeed.err().strip()).isEqualTo("seriatim: Invalid value for option '--seed': 'abc' is not a long "
                + "(see 'seriatim faults --help')");
    }

    @Test
    void theDemoEndsWithAVerdictComputedFromTheHandlers() {
        Run r = run("demo", "--keys", "20", "--jobs-per-key", "30", "--work-ms", "2");
        assertThat(r.out()).contains("per-key order held: yes", "jobs lost:          0 of 600 acknowledged",
                "killed worker-1");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
    }
}
