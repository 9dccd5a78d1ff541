package io.seriatim.core.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.seriatim.core.script.ScriptStatus;
import io.seriatim.core.settings.NamespaceSettings;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AckScriptTest extends QueueTestSupport {
    @BeforeEach
    void setUp() {
        open();
    }

    @Test
    void ackRemovesTheHeadAndReturnsTheNextBatch() {
        long[] ids = enqueue("a", 5);
        ClaimedKey held = claimOne("w", 2);
        AckResult r = queue.ack(held.lease(), ids(ids[0], ids[1]), LONG_LEASE, 2, 0);
        check("after ack");
        assertThat(r.status()).isEqualTo(ScriptStatus.CONTINUE);
        assertThat(ids(r.nextJobs())).containsExactly(ids[2], ids[3]);
        assertThat(state().queues().get("a")).containsExactly(ids[2], ids[3], ids[4]);
    }

    @Test
    void ackSkipsTheJobsTheWorkerAlreadyHolds() {
        long[] ids = enqueue("a", 5);
        ClaimedKey held = claimOne("w", 3);
        AckResult r = queue.ack(held.lease(), ids(ids[0]), LONG_LEASE, 2, 2);
        assertThat(ids(r.nextJobs())).containsExactly(ids[3], ids[4]);
    }

    @Test
    void ackOfTheLastJobReleasesTheKey() {
        long[] ids = enqueue("a", 1);
        ClaimedKey held = claimOne("w", 1);
        assertThat(queue.ack(held.lease(), ids(ids[0]), LONG_LEASE, 1, 0).status()).isEqualTo(ScriptStatus.RELEASED);
        RedisState s = check("after last ack");
        assertThat(s.queues()).isEmpty();
        assertThat(s.leases()).isEmpty();
        assertThat(s.owners()).isEmpty();
    }

    @Test
    void staleFenceCannotAck() {
        long[] ids = enqueue("a", 2);
        Lease lease = claimOne("w", 2).lease();
        Lease stale = new Lease("a", 0, lease.fence() - 1, "w", lease.deadlineMs());
        RedisState before = state();
        assertThat(queue.ack(stale, ids(ids[0]), LONG_LEASE, 1, 0).status()).isEqualTo(ScriptStatus.STALE);
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void otherWorkerWithTheSameFenceCannotAck() {
        long[] ids = enqueue("a", 2);
        Lease lease = claimOne("w", 2).lease();
        Lease impostor = new Lease("a", 0, lease.fence(), "other", lease.deadlineMs());
        RedisState before = state();
        assertThat(queue.ack(impostor, ids(ids[0]), LONG_LEASE, 1, 0).status()).isEqualTo(ScriptStatus.STALE);
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void ackOfAnythingButTheExactHeadChangesNothing() {
        long[] ids = enqueue("a", 3);
        Lease lease = claimOne("w", 3).lease();
        RedisState before = state();
        for (List<Long> wrong : List.of(ids(ids[1]), ids(ids[0], ids[2]), ids(ids[0], ids[1], ids[2], 999_999L))) {
            assertThat(queue.ack(lease, wrong, LONG_LEASE, 1, 0).status()).isEqualTo(ScriptStatus.HEAD_MISMATCH);
            assertThat(state()).isEqualTo(before);
        }
    }

    @Test
    void ackExtendsTheLease() {
        long[] ids = enqueue("a", 3);
        Lease lease = claimOne("w", 1).lease();
        AckResult r = queue.ack(lease, ids(ids[0]), Duration.ofHours(1), 1, 0);
        assertThat(r.deadlineMs()).isGreaterThan(lease.deadlineMs());
        assertThat(state().leases().get("a")).isEqualTo((double) r.deadlineMs());
    }

    @Test
    void fairnessBudgetSendsAHotKeyToTheBackOfReady() {
        open(NamespaceSettings.builder("fair").fairnessJobs(2).fairnessTime(Duration.ZERO));
        long[] hot = enqueue("hot", 10);
        ClaimedKey held = claimOne("w", 1);
        enqueue("cold", 1);
        assertThat(queue.ack(held.lease(), ids(hot[0]), LONG_LEASE, 1, 0).status()).isEqualTo(ScriptStatus.CONTINUE);
        assertThat(queue.ack(held.lease(), ids(hot[1]), LONG_LEASE, 1, 0).status()).isEqualTo(ScriptStatus.YIELDED);
        RedisState s = check("after yield");
        assertThat(s.ready()).containsKeys("hot", "cold");
        assertThat(s.ready().get("hot")).isGreaterThanOrEqualTo(s.ready().get("cold"));
        Claim next = queue.claim(0, "w", 1, LONG_LEASE, 1);
        assertThat(next.keys().getFirst().lease().key()).isEqualTo("cold");
    }
}
