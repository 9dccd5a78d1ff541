package io.seriatim.core.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.seriatim.core.script.ScriptStatus;
import io.seriatim.core.settings.FailurePolicy;
import io.seriatim.core.settings.NamespaceSettings;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** dlq_replay, dlq_purge and reading the dead-letter stream. Every job here dies on its first failure. */
class DlqScriptTest extends QueueTestSupport {
    @BeforeEach
    void setUp() {
        open(NamespaceSettings.builder("d").maxAttempts(1));
    }

    @Test
    void dlqReplayToHeadKeepsDeathOrder() {
        long[] ids = enqueue("a", 3);
        kill("a", ids[0]);
        kill("a", ids[1]);
        assertThat(queue.replayDead(null, true, 100)).isEqualTo(2);
        RedisState s = state();
        assertThat(s.queues().get("a")).containsExactly(ids[0], ids[1], ids[2]);
        assertThat(s.dlqJobIds()).isEmpty();
        assertThat(s.stats()).containsEntry("replayed", 2L);
    }

    @Test
    void dlqReplayToHeadDoesNotWaitOutTheOldHeadsRetryDelay() {
        open(NamespaceSettings.builder("d2").maxAttempts(3));
        long[] ids = enqueue("a", 2);
        Lease first = queue.raw().claim(0, "w", 1, LONG_LEASE, 1).keys().getFirst().lease();
        queue.raw().fail(first, ids[0], "bad input", false, java.time.Duration.ZERO); // not retryable: dead
        Lease second = queue.raw().claim(0, "w", 1, LONG_LEASE, 1).keys().getFirst().lease();
        queue.raw().fail(second, ids[1], "busy", true, java.time.Duration.ofMinutes(10)); // retry in 10 min
        assertThat(state().ready().get("a")).isGreaterThan((double) queue.redisTimeMs());
        assertThat(queue.replayDead("a", true, 100)).isEqualTo(1);
        assertThat(state().queues().get("a")).containsExactly(ids[0], ids[1]);
        assertThat(state().ready().get("a")).as("the replayed head may run now").isLessThanOrEqualTo((double) queue.redisTimeMs());
    }

    @Test
    void dlqReplayToTailAppends() {
        long[] ids = enqueue("a", 3);
        kill("a", ids[0]);
        kill("a", ids[1]);
        assertThat(queue.replayDead("a", false, 100)).isEqualTo(2);
        RedisState s = state();
        assertThat(s.queues().get("a")).containsExactly(ids[2], ids[0], ids[1]);
        assertThat(s.dlqJobIds()).isEmpty();
    }

    @Test
    void dlqReplayKeepsIdPayloadAndSubmitTime() {
        long[] ids = enqueue("a", 1);
        Job original = queue.inspect("a", 1).head().getFirst();
        kill("a", ids[0]);
        queue.replayDead("a", false, 10);
        Job replayed = claimOne("w", 1).jobs().getFirst();
        assertThat(replayed.id()).isEqualTo(original.id());
        assertThat(replayed.submittedAtMs()).isEqualTo(original.submittedAtMs());
        assertThat(text(replayed)).isEqualTo(text(original));
        assertThat(replayed.attempt()).as("a replayed job starts afresh").isEqualTo(1);
    }

    /** The observed bug: a replay to the head ended the lease, and a second worker ran the key beside the first. */
    @Test
    void dlqReplayToHeadOfALeasedKeyWaitsForItsHolder() {
        long[] ids = enqueue("a", 3);
        kill("a", ids[0]);
        Lease lease = claimOne("w", 1).lease();
        assertThat(queue.replay("a", true, 100)).isEqualTo(new Replayed(1, 1));
        RedisState s = state();
        assertThat(s.leases()).containsOnlyKeys("a");
        assertThat(s.ready()).isEmpty();
        assertThat(s.staged()).containsEntry("a", List.of(ids[0]));
        assertThat(queue.claim(0, "w2", 10, LONG_LEASE, 3).keys()).as("no second run while the holder runs").isEmpty();
        assertThat(queue.ack(lease, ids(ids[1]), LONG_LEASE, 1, 0).status()).isEqualTo(ScriptStatus.HANDED_OVER);
        s = state();
        assertThat(s.staged()).isEmpty();
        assertThat(s.deferred()).isEmpty();
        assertThat(s.queues().get("a")).containsExactly(ids[0], ids[2]);
        ClaimedKey next = claimOne("w2", 3);
        assertThat(ids(next.jobs())).containsExactly(ids[0], ids[2]);
        assertThat(next.jobs().getFirst().attempt()).isEqualTo(1);
    }

    @Test
    void dlqReplayToHeadOfALeasedKeyWhoseLeaseExpiresRunsFirstAfterTheSweep() {
        open(NamespaceSettings.builder("d3").maxAttempts(3)); // the expiry is an attempt: not the last one
        long[] ids = enqueue("a", 2);
        kill("a", ids[0]);
        claimOne(0, "w", 1, java.time.Duration.ZERO); // a holder that died
        queue.replayDead("a", true, 100);
        assertThat(queue.sweep(0, 10).swept()).isEqualTo(1);
        assertThat(state().queues().get("a")).containsExactly(ids[0], ids[1]);
        assertThat(state().attempts()).as("the replayed head starts afresh").isEmpty();
        assertThat(ids(claimOne("w2", 2).jobs())).containsExactly(ids[0], ids[1]);
    }

    @Test
    void dlqReplayToTailOfALeasedKeyKeepsTheLease() {
        long[] ids = enqueue("a", 3);
        kill("a", ids[0]);
        Lease lease = claimOne("w", 1).lease();
        queue.replayDead("a", false, 100);
        assertThat(state().leases()).containsOnlyKeys("a");
        assertThat(queue.ack(lease, ids(ids[1]), LONG_LEASE, 5, 0).nextJobs()).extracting(Job::id)
                .containsExactly(ids[2], ids[0]);
    }

    @Test
    void dlqReplayOfAnIdleKeyMakesItReady() {
        long[] ids = enqueue("a", 1);
        kill("a", ids[0]);
        assertThat(state().queues()).isEmpty();
        queue.replayDead("a", false, 10);
        assertThat(state().ready()).containsOnlyKeys("a");
    }

    @Test
    void dlqReplayIntoAParkedKeyKeepsItParked() {
        long[] ids = enqueue("a", 2);
        kill("a", ids[0]);
        queue.park("a", "hold");
        queue.replayDead("a", true, 10);
        RedisState s = state();
        assertThat(s.parked()).containsOnlyKeys("a");
        assertThat(s.queues().get("a")).containsExactly(ids[0], ids[1]);
    }

    @Test
    void dlqReplayOfOneKeyLeavesTheOthersDead() {
        long[] a = enqueue("a", 1);
        kill("a", a[0]);
        long[] b = enqueue("b", 1);
        kill("b", b[0]);
        assertThat(queue.replayDead("b", true, 10)).isEqualTo(1);
        assertThat(state().dlqJobIds()).containsExactly(a[0]);
    }

    /** Past about 8,000 values Lua's unpack() fails; a replay must not lose the jobs it took from the DLQ. */
    @Test
    void dlqReplayToTailOfMoreJobsThanLuaCanUnpack() {
        int n = 8_100;
        List<Long> ids = new java.util.ArrayList<>();
        for (int i = 0; i < n; i += 1000) {
            for (long id : enqueue("a", Math.min(1000, n - i))) {
                ids.add(id);
            }
        }
        for (long id : ids) {
            Lease lease = queue.raw().claim(0, "w", 1, LONG_LEASE, 1).keys().getFirst().lease();
            queue.raw().fail(lease, id, "x", false, java.time.Duration.ZERO);
        }
        assertThat(state().dlqJobIds()).hasSize(n);
        assertThat(queue.replayDead("a", false, 10_000)).isEqualTo(n);
        assertThat(state().queues().get("a")).isEqualTo(ids);
    }

    @Test
    void dlqPurgeDeletesOnlyThatKey() {
        long[] a = enqueue("a", 1);
        kill("a", a[0]);
        long[] b = enqueue("b", 2);
        kill("b", b[0]);
        RedisState before = state();
        assertThat(queue.purgeDead("a", 100)).isEqualTo(1);
        RedisState s = state();
        assertThat(s.dlqJobIds()).containsExactly(b[0]);
        assertThat(s.queues()).isEqualTo(before.queues());
        assertThat(s.ready()).isEqualTo(before.ready());
        assertThat(s.stats()).containsEntry("purged", 1L);
        assertThat(queue.purgeDead(null, 100)).isEqualTo(1);
        assertThat(state().dlqJobIds()).isEmpty();
    }

    @Test
    void deadJobsPageFromAnEntryOn() {
        long[] ids = enqueue("a", 3);
        for (long id : ids) {
            kill("a", id);
        }
        List<DeadJob> first = queue.deadJobs(0, null, 2);
        assertThat(first).extracting(d -> d.job().id()).containsExactly(ids[0], ids[1]);
        assertThat(queue.deadJobs(0, first.get(1).entryId(), 2)).extracting(d -> d.job().id()).containsExactly(ids[2]);
    }

    @Test
    void underParkNothingIsDeadLettered() {
        open(NamespaceSettings.builder("p").maxAttempts(1).failurePolicy(FailurePolicy.PARK));
        long[] ids = enqueue("a", 1);
        kill("a", ids[0]);
        assertThat(state().dlqJobIds()).isEmpty();
        assertThat(queue.replayDead(null, true, 10)).isZero();
    }
}
