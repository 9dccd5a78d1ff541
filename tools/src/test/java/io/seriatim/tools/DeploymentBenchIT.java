package io.seriatim.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deployment bench at {@code --quick} sizes: redis, gateway, two workers running the bench's
 * handler from seriatim-tools.jar, sweeper and client, each a process started as a user starts it,
 * and every row checked for order and loss on all its keys. No timings asserted.
 *
 * <p>An integration test (failsafe, after {@code package}): the bench runs the jars that
 * {@code package} built, as the launcher would.
 */
class DeploymentBenchIT {
    private static final List<String> ROWS = List.of(
            "| dense: submit and drain at once |",
            "| dense, preloaded: submit only (namespace paused) |",
            "| dense, preloaded: drain |",
            "| sparse: submit and drain at once |",
            "| sparse, one job per key, preloaded: submit only (namespace paused) |",
            "| sparse, one job per key, preloaded: drain |",
            "| paced 10k/s |",
            "| paced 50k/s |",
            "| handler sleeping 1 ms, preloaded: drain |",
            "| mixed: submit flat out for a time while the workers drain |");

    @TempDir
    Path dir;

    @Test
    void everyDeploymentScenarioRunsCorrectlyInSeparateProcesses() throws Exception {
        Path table = dir.resolve("bench.md");
        ToolsCommandTest.Run r = ToolsCommandTest.run("bench", "--quick", "--scenario", "deploy",
                "--run-dir", dir.resolve("runs").toString(), "--write", table.toString());
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        List<String> rows = Files.readAllLines(table).stream().filter(l -> ROWS.stream().anyMatch(l::startsWith)).toList();
        // Each scenario's two runs (fresh or shared, then warm), each a row, every one checked correct.
        assertThat(rows).as(r.out()).hasSize(2 * ROWS.size());
        for (String row : ROWS) {
            assertThat(rows).as(row).filteredOn(l -> l.startsWith(row)).hasSize(2);
        }
        assertThat(rows).as(r.out()).allMatch(l -> l.contains("| yes: "));
        assertThat(r.out()).doesNotContain("FAILED", "**NO**");
    }
}
