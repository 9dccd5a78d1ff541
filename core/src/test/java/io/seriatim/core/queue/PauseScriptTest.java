package io.seriatim.core.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.seriatim.core.script.ScriptStatus;
import io.seriatim.core.settings.NamespaceSettings;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** pause and resume: a flag per partition that claim honours; no key moves. */
class PauseScriptTest extends QueueTestSupport {
    @BeforeEach
    void setUp() {
        open(NamespaceSettings.builder("p").partitions(2));
    }

    @Test
    void pauseStopsClaimsInEveryPartitionButNotSubmitsOrHeldLeases() {
        long[] ids = enqueue("a", 2);
        int p = queue.partitionOf("a");
        Lease lease = claimOne(p, "w", 1, LONG_LEASE).lease();
        RedisState before = state();
        queue.pause();
        assertThat(state().queues()).isEqualTo(before.queues());
        assertThat(state().leases()).isEqualTo(before.leases());
        enqueue("b", 1);
        for (int partition = 0; partition < 2; partition++) {
            Claim claim = queue.claim(partition, "w", 10, LONG_LEASE, 1);
            assertThat(claim.paused()).isTrue();
            assertThat(claim.keys()).isEmpty();
        }
        assertThat(queue.ack(lease, ids(ids[0]), LONG_LEASE, 1, 0).status()).isEqualTo(ScriptStatus.CONTINUE);
    }

    @Test
    void resumeLetsClaimsRunAndRingsEveryBell() {
        enqueue("a", 1);
        queue.pause();
        queue.keys().partitions().forEach(pk -> redis.client().del(pk.bell()));
        queue.resume();
        assertThat(state().paused()).isFalse();
        assertThat(state().bells()).containsOnly(java.util.Map.entry(0, 1L), java.util.Map.entry(1, 1L));
        assertThat(queue.claim(queue.partitionOf("a"), "w", 10, LONG_LEASE, 1).keys()).hasSize(1);
    }

    @Test
    void pauseTwiceAndResumeTwiceAreHarmless() {
        queue.pause();
        assertChangesNothing(queue::pause);
        queue.resume();
        queue.resume();
        assertThat(state().paused()).isFalse();
    }
}
