package io.seriatim.tools;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The one-JVM (lab) benchmark at tiny sizes: every scenario runs and checks its own correctness.
 * No timings asserted. The deployment scenarios need the packaged jars: {@link DeploymentBenchIT}.
 */
class BenchSmokeTest {
    @Test
    void everyScenarioRunsCorrectlyAtTinySizes() {
        ToolsCommandTest.Run r = ToolsCommandTest.run("bench", "--quick", "--scenario", "lab");
        assertThat(r.out()).contains("| drain |", "| submit |", "| sleep-1ms |", "| latency@1000/s |", "| mixed |",
                "| claim@1000 ready keys |");
        assertThat(r.out()).doesNotContain("FAILED");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
    }
}
