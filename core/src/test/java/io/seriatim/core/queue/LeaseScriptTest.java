package io.seriatim.core.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.seriatim.core.settings.FailurePolicy;
import io.seriatim.core.settings.NamespaceSettings;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** renew, release and sweep: the scripts that move a lease's deadline or end it. */
class LeaseScriptTest extends QueueTestSupport {

    /** A lease whose deadline is already Redis' "now": the next sweep takes it, no waiting. */
    ClaimedKey claimExpired(String worker) {
        Claim claim = queue.claim(0, worker, 1, Duration.ZERO, 1);
        assertThat(claim.keys()).hasSize(1);
        return claim.keys().getFirst();
    }

    @Test
    void renewExtendsHeldLeasesAndReportsStaleOnes() {
        open();
        enqueue("a", 1);
        enqueue("b", 1);
        Lease a = claimOne("w", 1).lease();
        Lease b = claimOne("w", 1).lease();
        Lease staleB = new Lease("b", 0, b.fence() - 1, "w", b.deadlineMs());
        List<Lease> held = queue.renew(List.of(a, staleB), Duration.ofHours(1));
        assertThat(held).extracting(Lease::key).containsExactly("a");
        assertThat(held.getFirst().deadlineMs()).isGreaterThan(a.deadlineMs());
        assertThat(state().leases().get("b")).isEqualTo((double) b.deadlineMs());
    }

    @Test
    void renewNeverCreatesALease() {
        open();
        enqueue("a", 1);
        RedisState before = state();
        assertThat(queue.renew(List.of(new Lease("a", 0, 1, "w", 0)), LONG_LEASE)).isEmpty();
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void releaseMakesTheKeyReadyAtOnceWithoutAnAttempt() {
        open();
        enqueue("a", 2);
        Lease lease = claimOne("w", 1).lease();
        assertThat(queue.release(lease)).isTrue();
        RedisState s = check("after release");
        assertThat(s.ready()).containsKey("a");
        assertThat(s.attempts()).isEmpty();
        assertThat(queue.release(lease)).as("a second release is stale").isFalse();
    }

    @Test
    void sweepTakesBackExpiredLeasesAndCountsAnAttempt() {
        open();
        long[] ids = enqueue("a", 2);
        Lease lease = claimExpired("w").lease();
        SweepResult r = queue.sweep(0, 100);
        RedisState s = check("after sweep");
        assertThat(r.swept()).isEqualTo(1);
        assertThat(s.ready()).containsKey("a");
        assertThat(s.attempts()).containsEntry("a", "1");
        assertThat(queue.ack(lease, ids(ids[0]), LONG_LEASE, 1, 0).status())
                .as("the old holder is fenced off").isEqualTo(io.seriatim.core.script.ScriptStatus.STALE);
    }

    @Test
    void sweepLeavesLiveLeasesAlone() {
        open();
        enqueue("a", 1);
        claimOne("w", 1);
        RedisState before = state();
        assertThat(queue.sweep(0, 100).swept()).isZero();
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void sweepIsIdempotent() {
        open();
        enqueue("a", 1);
        claimExpired("w");
        queue.sweep(0, 100);
        RedisState after = state();
        assertThat(queue.sweep(0, 100).swept()).isZero();
        assertThat(state()).isEqualTo(after);
    }

    @Test
    void sweepRespectsItsLimitAndSaysThereIsMore() {
        open();
        for (String k : List.of("a", "b", "c")) {
            enqueue(k, 1);
        }
        Claim claim = queue.claim(0, "w", 3, Duration.ZERO, 1);
        assertThat(claim.keys()).hasSize(3);
        SweepResult first = queue.sweep(0, 2);
        assertThat(first.swept()).isEqualTo(2);
        assertThat(first.more()).isTrue();
        SweepResult second = queue.sweep(0, 2);
        assertThat(second.swept()).isEqualTo(1);
        assertThat(second.more()).isFalse();
    }

    @Test
    void expiryThatUsesTheLastAttemptAppliesTheFailurePolicy() {
        open(NamespaceSettings.builder("s").maxAttempts(2).failurePolicy(FailurePolicy.SKIP));
        long[] ids = enqueue("a", 2);
        claimExpired("w");
        queue.sweep(0, 10);
        claimExpired("w");
        SweepResult r = queue.sweep(0, 10);
        RedisState s = check("after second expiry");
        assertThat(r.deadLettered()).isEqualTo(1);
        assertThat(s.dlqJobIds()).containsExactly(ids[0]);
        assertThat(s.queues().get("a")).containsExactly(ids[1]);
        assertThat(queue.deadJobs(0, null, 1).getFirst().error()).isEqualTo("lease expired");
    }

    @Test
    void expiryAtTheLimitParksUnderPark() {
        open(NamespaceSettings.builder("s").maxAttempts(1).failurePolicy(FailurePolicy.PARK));
        enqueue("a", 1);
        claimExpired("w");
        assertThat(queue.sweep(0, 10).parked()).isEqualTo(1);
        assertThat(check("after park").parked()).containsKey("a");
    }
}
