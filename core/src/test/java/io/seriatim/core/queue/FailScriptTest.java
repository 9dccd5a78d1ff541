package io.seriatim.core.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.seriatim.core.script.ScriptStatus;
import io.seriatim.core.settings.FailurePolicy;
import io.seriatim.core.settings.NamespaceSettings;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class FailScriptTest extends QueueTestSupport {

    @Test
    void failBelowTheLimitRetriesTheSameJobAfterTheDelay() {
        open(NamespaceSettings.builder("f").maxAttempts(3));
        long[] ids = enqueue("a", 2);
        ClaimedKey held = claimOne("w", 2);
        FailResult r = queue.fail(held.lease(), ids[0], "boom", true, Duration.ofSeconds(30));
        RedisState s = check("after fail");
        assertThat(r.status()).isEqualTo(ScriptStatus.RETRY);
        assertThat(r.attempts()).isEqualTo(1);
        assertThat(s.ready().get("a")).isEqualTo((double) r.readyAtMs());
        assertThat(s.queues().get("a")).containsExactly(ids[0], ids[1]);
        assertThat(queue.inspect("a", 1).head().getFirst().attempt()).isEqualTo(2);
    }

    @Test
    void retriedJobComesBackFirstWithItsAttemptCount() {
        open(NamespaceSettings.builder("f").maxAttempts(3));
        long[] ids = enqueue("a", 2);
        queue.fail(claimOne("w", 2).lease(), ids[0], "boom", true, Duration.ZERO);
        ClaimedKey again = claimOne("w", 2);
        assertThat(ids(again.jobs())).containsExactly(ids[0], ids[1]);
        assertThat(again.jobs()).extracting(Job::attempt).containsExactly(2, 1);
    }

    @Test
    void failAtTheLimitDeadLettersTheJobUnderSkipAndTheKeyGoesOn() {
        open(NamespaceSettings.builder("f").maxAttempts(1).failurePolicy(FailurePolicy.SKIP));
        long[] ids = enqueue("a", 2);
        FailResult r = queue.fail(claimOne("w", 2).lease(), ids[0], "poison", true, Duration.ZERO);
        RedisState s = check("after dead letter");
        assertThat(r.status()).isEqualTo(ScriptStatus.DEAD);
        assertThat(s.dlqJobIds()).containsExactly(ids[0]);
        assertThat(s.queues().get("a")).containsExactly(ids[1]);
        assertThat(s.ready()).containsKey("a");
        DeadJob dead = queue.deadJobs(0, null, 10).getFirst();
        assertThat(dead.error()).isEqualTo("poison");
        assertThat(dead.attempts()).isEqualTo(1);
        assertThat(dead.job().key()).isEqualTo("a");
    }

    @Test
    void failOfTheLastJobAtTheLimitLeavesTheKeyIdle() {
        open(NamespaceSettings.builder("f").maxAttempts(1));
        long[] ids = enqueue("a", 1);
        queue.fail(claimOne("w", 1).lease(), ids[0], "poison", true, Duration.ZERO);
        RedisState s = check("after dead letter");
        assertThat(s.queues()).isEmpty();
        assertThat(s.ready()).isEmpty();
    }

    @Test
    void failAtTheLimitParksTheKeyUnderPark() {
        open(NamespaceSettings.builder("f").maxAttempts(2).failurePolicy(FailurePolicy.PARK));
        long[] ids = enqueue("a", 2);
        queue.fail(claimOne("w", 1).lease(), ids[0], "first", true, Duration.ZERO);
        FailResult r = queue.fail(claimOne("w", 1).lease(), ids[0], "second", true, Duration.ZERO);
        RedisState s = check("after park");
        assertThat(r.status()).isEqualTo(ScriptStatus.PARKED);
        assertThat(s.parked()).containsKey("a");
        assertThat(s.parked().get("a")).contains("second");
        assertThat(s.queues().get("a")).containsExactly(ids[0], ids[1]);
        assertThat(queue.claim(0, "w", 10, LONG_LEASE, 1).keys()).isEmpty();
    }

    @Test
    void nonRetryableFailureGoesStraightToThePolicy() {
        open(NamespaceSettings.builder("f").maxAttempts(5));
        long[] ids = enqueue("a", 1);
        FailResult r = queue.fail(claimOne("w", 1).lease(), ids[0], "bad input", false, Duration.ZERO);
        assertThat(r.status()).isEqualTo(ScriptStatus.DEAD);
        assertThat(r.attempts()).isEqualTo(1);
    }

    @Test
    void staleOrWrongHeadFailChangesNothing() {
        open();
        long[] ids = enqueue("a", 2);
        Lease lease = claimOne("w", 2).lease();
        RedisState before = state();
        for (Lease bad : List.of(new Lease("a", 0, lease.fence() + 1, "w", 0), new Lease("a", 0, lease.fence(), "x", 0))) {
            assertThat(queue.fail(bad, ids[0], "e", true, Duration.ZERO).status()).isEqualTo(ScriptStatus.STALE);
        }
        assertThat(queue.fail(lease, ids[1], "e", true, Duration.ZERO).status()).isEqualTo(ScriptStatus.HEAD_MISMATCH);
        assertThat(state()).isEqualTo(before);
    }
}
