package io.seriatim.core.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.seriatim.core.script.ScriptStatus;
import io.seriatim.core.settings.FailurePolicy;
import io.seriatim.core.settings.NamespaceSettings;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SweepScriptTest extends QueueTestSupport {

    @Test
    void sweepTakesBackExpiredLeasesAndCountsAnAttempt() {
        open();
        long[] ids = enqueue("a", 2);
        Lease lease = claimExpired("w").lease();
        SweepResult r = queue.sweep(0, 100);
        RedisState s = state();
        assertThat(r).isEqualTo(new SweepResult(1, 0, 0, false));
        assertThat(s.ready()).containsOnlyKeys("a");
        assertThat(s.leases()).isEmpty();
        assertThat(s.attempts()).containsEntry("a", "1");
        assertThat(s.stats()).containsEntry("expired", 1L);
        assertThat(queue.ack(lease, ids(ids[0]), LONG_LEASE, 1, 0).status())
                .as("the old holder is fenced off").isEqualTo(ScriptStatus.STALE);
        assertThat(claimOne("w2", 1).jobs().getFirst().attempt()).isEqualTo(2);
    }

    @Test
    void sweepLeavesLiveLeasesAlone() {
        open();
        enqueue("a", 1);
        claimOne("w", 1);
        assertChangesNothing(() -> assertThat(queue.sweep(0, 100).swept()).isZero());
    }

    @Test
    void sweepIsIdempotent() {
        open();
        enqueue("a", 1);
        claimExpired("w");
        queue.sweep(0, 100);
        assertChangesNothing(() -> assertThat(queue.sweep(0, 100)).isEqualTo(new SweepResult(0, 0, 0, false)));
    }

    @Test
    void sweepRespectsItsLimit() {
        open();
        for (String k : List.of("a", "b", "c")) {
            enqueue(k, 1);
        }
        assertThat(queue.claim(0, "w", 3, Duration.ZERO, 1).keys()).hasSize(3);
        SweepResult first = queue.sweep(0, 2);
        assertThat(first.swept()).isEqualTo(2);
        assertThat(first.more()).isTrue();
        assertThat(state().leases()).hasSize(1);
        SweepResult second = queue.sweep(0, 2);
        assertThat(second.swept()).isEqualTo(1);
        assertThat(second.more()).isFalse();
    }

    @Test
    void aSweepThatTakesExactlyItsLimitSaysThereIsNoMore() {
        open();
        for (String k : List.of("a", "b")) {
            enqueue(k, 1);
        }
        assertThat(queue.claim(0, "w", 2, Duration.ZERO, 1).keys()).hasSize(2);
        SweepResult r = queue.sweep(0, 2);
        assertThat(r.swept()).isEqualTo(2);
        assertThat(r.more()).as("no expired lease is left").isFalse();
    }

    @Test
    void expiryThatUsesTheLastAttemptDeadLettersUnderSkip() {
        open(NamespaceSettings.builder("s").maxAttempts(2).failurePolicy(FailurePolicy.SKIP));
        long[] ids = enqueue("a", 2);
        claimExpired("w");
        queue.sweep(0, 10);
        claimExpired("w");
        SweepResult r = queue.sweep(0, 10);
        RedisState s = state();
        assertThat(r).isEqualTo(new SweepResult(1, 1, 0, false));
        assertThat(s.dlqJobIds()).containsExactly(ids[0]);
        assertThat(s.queues().get("a")).containsExactly(ids[1]);
        assertThat(s.ready()).containsOnlyKeys("a");
        DeadJob dead = queue.deadJobs(0, null, 1).getFirst();
        assertThat(dead.error()).isEqualTo("lease expired");
        assertThat(dead.attempts()).isEqualTo(2);
    }

    @Test
    void expiryAtTheLimitParksUnderPark() {
        open(NamespaceSettings.builder("s").maxAttempts(1).failurePolicy(FailurePolicy.PARK));
        enqueue("a", 1);
        claimExpired("w");
        assertThat(queue.sweep(0, 10)).isEqualTo(new SweepResult(1, 0, 1, false));
        assertThat(state().parked()).containsEntry("a", "failed 1 times: lease expired");
    }

    @Test
    void sweepOfOnePartitionLeavesTheOthersExpiredLeases() {
        open(NamespaceSettings.builder("two").partitions(2));
        List<String> keys = List.of("a", "b", "c", "d", "e", "f");
        keys.forEach(k -> enqueue(k, 1));
        for (int p = 0; p < 2; p++) {
            queue.claim(p, "w", 100, Duration.ZERO, 1);
        }
        long inZero = keys.stream().filter(k -> queue.partitionOf(k) == 0).count();
        assertThat(queue.sweep(0, 100).swept()).isEqualTo((int) inZero);
        assertThat(state().leases()).hasSize(keys.size() - (int) inZero);
    }
}
