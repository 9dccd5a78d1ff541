package io.seriatim.tools;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The short version of the fault suite: every scenario for a few seconds, on real processes.
 * It asserts what the suite itself judges (order, loss, recovery bound), never a speed.
 */
class FaultsSmokeTest {
    @Test
    void everyScenarioHoldsInItsShortVersion() {
        ToolsCommandTest.Run r = ToolsCommandTest.run("faults", "--quick");
        assertThat(r.out()).contains("| baseline |", "| operator-acts |", "| kill-worker |", "| crash-before-ack |", "| stop-worker |",
                "| slow-worker |", "| kill-redis-everysec |", "| kill-redis-always |", "| stop-redis |",
                "| kill-gateway |", "| poison-job |", "| maxmemory |", "| cut-worker |", "| many-sweepers |",
                "| cluster-kill-master |", "| cluster-kill-master-nowait |", "| cluster-reshard |", "| cluster-frozen-replica |", "| sentinel-failover |");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
    }

    /** The soak's whole path (one rig, a drawn fault, memory samples, the bucketed check) in 20 seconds. */
    @Test
    void shortSoakHolds() {
        ToolsCommandTest.Run r = ToolsCommandTest.run("faults", "--soak", "20s", "--rate", "500", "--seed", "7");
        assertThat(r.out()).contains("| held |", "| fault | times |", "| memory series |");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
    }
}
