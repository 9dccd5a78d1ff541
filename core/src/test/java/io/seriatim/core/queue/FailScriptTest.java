package io.seriatim.core.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.seriatim.core.script.ScriptStatus;
import io.seriatim.core.settings.FailurePolicy;
import io.seriatim.core.settings.NamespaceSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FailScriptTest extends QueueTestSupport {

    private void open(int maxAttempts, FailurePolicy policy) {
        open(NamespaceSettings.builder("f").maxAttempts(maxAttempts).failurePolicy(policy));
    }

    @Test
    void failBelowLimitRetriesAfterDelay() {
        open(3, FailurePolicy.SKIP);
        long[] ids = enqueue("a", 2);
        ClaimedKey held = claimOne("w", 2);
        FailResult r = queue.fail(held.lease(), ids[0], "boom", true, Duration.ofSeconds(30));
        RedisState s = state();
        assertThat(r.status()).isEqualTo(ScriptStatus.RETRY);
        assertThat(r.attempts()).isEqualTo(1);
        assertThat(s.ready().get("a")).isEqualTo((double) r.readyAtMs());
        assertThat(r.readyAtMs()).isGreaterThanOrEqualTo(held.lease().deadlineMs() - LONG_LEASE.toMillis() + 30_000);
        assertThat(s.queues().get("a")).as("the failed job stays at the head").containsExactly(ids[0], ids[1]);
        assertThat(s.leases()).isEmpty();
        assertThat(s.stats()).containsEntry("failed", 1L).containsEntry("retried", 1L);
        assertThat(queue.claim(0, "w", 1, LONG_LEASE, 1).keys()).as("not before the delay").isEmpty();
        assertThat(queue.inspect("a", 1).head().getFirst().attempt()).isEqualTo(2);
    }

    @Test
    void retriedJobComesBackFirstWithItsAttemptCount() {
        open(3, FailurePolicy.SKIP);
        long[] ids = enqueue("a", 2);
        queue.fail(claimOne("w", 2).lease(), ids[0], "boom", true, Duration.ZERO);
        ClaimedKey again = claimOne("w", 2);
        assertThat(ids(again.jobs())).containsExactly(ids[0], ids[1]);
        assertThat(again.jobs()).extracting(Job::attempt).containsExactly(2, 1);
    }

    @Test
    void failAtLimitDeadLettersUnderSkip() {
        open(2, FailurePolicy.SKIP);
        long[] ids = enqueue("a", 2);
        queue.fail(claimOne("w", 2).lease(), ids[0], "first", true, Duration.ZERO);
        FailResult r = queue.fail(claimOne("w", 2).lease(), ids[0], "poison", true, Duration.ZERO);
        RedisState s = state();
        assertThat(r.status()).isEqualTo(ScriptStatus.DEAD);
        assertThat(r.attempts()).isEqualTo(2);
        assertThat(s.dlqJobIds()).containsExactly(ids[0]);
        assertThat(s.queues().get("a")).containsExactly(ids[1]);
        assertThat(s.ready()).containsKey("a");
        assertThat(s.attempts()).as("the next job starts afresh").isEmpty();
        DeadJob dead = queue.deadJobs(0, null, 10).getFirst();
        assertThat(dead.error()).isEqualTo("poison");
        assertThat(dead.attempts()).isEqualTo(2);
        assertThat(dead.job().key()).isEqualTo("a");
        assertThat(dead.job().id()).isEqualTo(ids[0]);
    }

    @Test
    void failOfTheLastJobAtTheLimitLeavesTheKeyIdle() {
        open(1, FailurePolicy.SKIP);
        long[] ids = enqueue("a", 1);
        queue.fail(claimOne("w", 1).lease(), ids[0], "poison", true, Duration.ZERO);
        RedisState s = state();
        assertThat(s.queues()).isEmpty();
        assertThat(s.ready()).isEmpty();
        assertThat(s.dlqJobIds()).containsExactly(ids[0]);
    }

    @Test
    void failAtLimitParksUnderPark() {
        open(2, FailurePolicy.PARK);
        long[] ids = enqueue("a", 2);
        queue.fail(claimOne("w", 1).lease(), ids[0], "first", true, Duration.ZERO);
        FailResult r = queue.fail(claimOne("w", 1).lease(), ids[0], "second", true, Duration.ZERO);
        RedisState s = state();
        assertThat(r.status()).isEqualTo(ScriptStatus.PARKED);
        assertThat(s.parked()).containsEntry("a", "failed 2 times: second");
        assertThat(s.queues().get("a")).as("every job stays").containsExactly(ids[0], ids[1]);
        assertThat(s.dlqJobIds()).isEmpty();
        assertThat(queue.claim(0, "w", 10, LONG_LEASE, 1).keys()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(FailurePolicy.class)
    void nonRetryableFailureGoesStraightToPolicy(FailurePolicy policy) {
        open(5, policy);
        long[] ids = enqueue("a", 1);
        FailResult r = queue.fail(claimOne("w", 1).lease(), ids[0], "bad input", false, Duration.ofHours(1));
        assertThat(r.status()).isEqualTo(policy == FailurePolicy.SKIP ? ScriptStatus.DEAD : ScriptStatus.PARKED);
        assertThat(r.attempts()).isEqualTo(1);
    }

    @Test
    void failOfWrongHeadChangesNothing() {
        open();
        long[] ids = enqueue("a", 2);
        Lease lease = claimOne("w", 2).lease();
        for (long wrong : new long[] {ids[1], ids[0] + 1024, 0}) {
            assertChangesNothing(() -> assertThat(queue.fail(lease, wrong, "e", true, Duration.ZERO).status())
                    .isEqualTo(ScriptStatus.HEAD_MISMATCH));
        }
    }
}
