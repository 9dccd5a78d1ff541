package io.seriatim.core.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.seriatim.core.settings.NamespaceSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** inspect (one key) and counts (the namespace): read-only views. */
class InspectScriptTest extends QueueTestSupport {

    @Test
    void inspectShowsEachStateWithItsScoreOwnerAttemptsAndHead() {
        open();
        long[] ids = enqueue("a", 3);
        KeyInspection ready = queue.inspect("a", 2);
        assertThat(ready.state()).isEqualTo(KeyState.READY);
        assertThat(ready.scoreMs()).isEqualTo(state().ready().get("a").longValue());
        assertThat(ready.pending()).isEqualTo(3);
        assertThat(ids(ready.head())).containsExactly(ids[0], ids[1]);

        Lease lease = claimOne("w", 1).lease();
        KeyInspection leased = queue.inspect("a", 0);
        assertThat(leased.state()).isEqualTo(KeyState.LEASED);
        assertThat(leased.scoreMs()).isEqualTo(lease.deadlineMs());
        assertThat(leased.owner()).startsWith(lease.fence() + "|").endsWith("|0|w");
        assertThat(leased.head()).isEmpty();

        queue.fail(lease, ids[0], "boom", true, Duration.ofHours(1));
        queue.park("a", "look at it");
        KeyInspection parked = queue.inspect("a", 1);
        assertThat(parked.state()).isEqualTo(KeyState.PARKED);
        assertThat(parked.scoreMs()).isEqualTo(-1);
        assertThat(parked.attempts()).isEqualTo(1);
        assertThat(parked.parkedReason()).isEqualTo("look at it");
        assertThat(parked.head().getFirst().attempt()).isEqualTo(2);

        KeyInspection idle = queue.inspect("none", 2);
        assertThat(idle).isEqualTo(new KeyInspection("none", KeyState.IDLE, -1, "", 0, "", 0, java.util.List.of(), "", 0,
                KeyInspection.Problem.NONE));
    }

    @Test
    void inspectChangesNothing() {
        open();
        enqueue("a", 3);
        claimOne("w", 1);
        assertChangesNothing(() -> queue.inspect("a", 10));
    }

    @Test
    void countsSumGaugesAndCountersOverPartitions() {
        open(NamespaceSettings.builder("c").partitions(3).maxAttempts(1));
        for (String k : new String[] {"a", "b", "c", "d"}) {
            enqueue(k, 2);
        }
        ClaimedKey a = queue.claim(queue.partitionOf("a"), "w", 10, LONG_LEASE, 1).keys().stream()
                .filter(k -> k.lease().key().equals("a")).findFirst().orElseThrow();
        queue.fail(a.lease(), a.jobs().getFirst().id(), "x", false, Duration.ZERO);
        QueueCounts c = queue.counts();
        RedisState s = state();
        assertThat(c.pendingJobs()).isEqualTo(7);
        assertThat(c.readyKeys()).isEqualTo(s.ready().size());
        assertThat(c.leasedKeys()).isEqualTo(s.leases().size());
        assertThat(c.deadJobs()).isEqualTo(1);
        assertThat(c.counters()).containsEntry("enqueued", 8L).containsEntry("dead", 1L);
        assertThat(c.paused()).isFalse();
        queue.pause();
        assertThat(queue.counts().paused()).isTrue();
    }

    @Test
    void anExpiredLeaseNotYetTakenBackAndAParkedKeyAreStuck() {
        open();
        enqueue("a", 2);
        enqueue("b", 1);
        claimOne("w", 1); // a long lease: running, not stuck
        assertThat(queue.counts().expiredLeaseKeys()).isZero();
        assertThat(queue.counts().stuckKeys()).isZero();
        claimExpired("dead");
        QueueCounts expired = queue.counts();
        assertThat(expired.leasedKeys()).isEqualTo(2);
        assertThat(expired.expiredLeaseKeys()).isEqualTo(1);
        assertThat(expired.stuckKeys()).isEqualTo(1);

        queue.sweep(0, 100); // takes the expired lease back: the key is ready, no longer stuck
        enqueue("c", 1);
        queue.park("c", "look at it");
        QueueCounts after = queue.counts();
        assertThat(after.expiredLeaseKeys()).isZero();
        assertThat(after.parkedKeys()).isEqualTo(1);
        assertThat(after.stuckKeys()).isEqualTo(1);
    }
}
