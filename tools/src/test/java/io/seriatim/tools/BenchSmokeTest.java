package io.seriatim.tools;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The benchmark at tiny sizes: every scenario runs and checks its own correctness. No timings asserted. */
class BenchSmokeTest {
    @Test
    void everyScenarioRunsCorrectlyAtTinySizes() {
        ToolsCommandTest.Run r = ToolsCommandTest.run("bench", "--quick");
        assertThat(r.out()).contains("| drain |", "| submit |", "| sleep-1ms |", "| latency@1000/s |", "| mixed |",
                "| claim@1000 ready keys |");
        assertThat(r.out()).doesNotContain("FAILED");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
    }
}
