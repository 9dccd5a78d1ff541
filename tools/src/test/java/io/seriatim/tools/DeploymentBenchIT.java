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
            "| paced 2k/s |",
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

    @Test
    void withClusterEachScenarioAlsoRunsOnAThreeMasterClusterWithRedisCpuPerMaster() throws Exception {
        Path table = dir.resolve("bench-cluster.md");
        ToolsCommandTest.Run r = ToolsCommandTest.run("bench", "--quick", "--cluster", "--scenario", "deploy-dense,deploy-sparse",
                "--run-dir", dir.resolve("runs-cluster").toString(), "--write", table.toString());
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        List<String> lines = Files.readAllLines(table);
        List<String> onCluster = lines.stream().filter(l -> l.contains(" — Redis Cluster, 3 masters |")).toList();
        List<String> standalone = lines.stream().filter(l -> ROWS.subList(0, 1).stream().anyMatch(l::startsWith)
                || l.startsWith("| sparse: submit and drain at once |")).toList();
        assertThat(onCluster).as(r.out()).hasSize(4);
        assertThat(standalone).as(r.out()).hasSize(4);
        assertThat(onCluster).allMatch(l -> l.contains("| yes: "));
        // The three masters' CPU apart, summed as "redis".
        assertThat(onCluster).allMatch(l -> l.matches(".*redis [0-9.]+ \\([0-9.]+ \\+ [0-9.]+ \\+ [0-9.]+\\).*"));
        assertThat(r.out()).doesNotContain("FAILED", "**NO**");
    }
}
