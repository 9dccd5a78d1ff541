package io.seriatim.core.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.seriatim.core.script.ScriptStatus;
import io.seriatim.core.settings.FailurePolicy;
import io.seriatim.core.settings.NamespaceSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** park and unpark: an operator's hold on a key. */
class ParkScriptTest extends QueueTestSupport {

    @Test
    void parkRevokesLease() {
        open();
        long[] ids = enqueue("a", 2);
        Lease lease = claimOne("w", 1).lease();
        assertThat(queue.park("a", "investigating")).isEqualTo(ScriptStatus.OK);
        RedisState s = state();
        assertThat(s.parked()).containsEntry("a", "investigating");
        assertThat(s.leases()).isEmpty();
        assertThat(s.queues().get("a")).containsExactly(ids[0], ids[1]);
        assertThat(queue.ack(lease, ids(ids[0]), LONG_LEASE, 1, 0).status()).isEqualTo(ScriptStatus.STALE);
        assertThat(queue.claim(0, "w", 10, LONG_LEASE, 1).keys()).isEmpty();
    }

    @Test
    void parkTakesAKeyOutOfReadyEvenDuringABackoff() {
        open();
        long[] ids = enqueue("a", 1);
        queue.fail(claimOne("w", 1).lease(), ids[0], "later", true, Duration.ofHours(1));
        assertThat(queue.park("a", null)).isEqualTo(ScriptStatus.OK);
        assertThat(state().parked()).containsEntry("a", "parked by operator");
        assertThat(state().ready()).isEmpty();
    }

    @Test
    void parkOfAKeyWithoutJobsIsRefused() {
        open();
        assertChangesNothing(() -> assertThat(queue.park("nothing", "x")).isEqualTo(ScriptStatus.NOT_FOUND));
    }

    @Test
    void parkOfAParkedKeyKeepsTheFirstReason() {
        open();
        enqueue("a", 1);
        queue.park("a", "first");
        assertChangesNothing(() -> assertThat(queue.park("a", "again")).isEqualTo(ScriptStatus.ALREADY_PARKED));
    }

    @Test
    void unparkResetsAttempts() {
        open(NamespaceSettings.builder("u").maxAttempts(2).failurePolicy(FailurePolicy.PARK));
        long[] ids = enqueue("a", 1);
        queue.fail(claimOne("w", 1).lease(), ids[0], "x", true, Duration.ZERO);
        queue.fail(claimOne("w", 1).lease(), ids[0], "x", true, Duration.ZERO);
        assertThat(state().attempts()).containsEntry("a", "2");
        assertThat(queue.unpark("a")).isTrue();
        RedisState s = state();
        assertThat(s.ready()).containsOnlyKeys("a");
        assertThat(s.parked()).isEmpty();
        assertThat(s.attempts()).isEmpty();
        assertThat(claimOne("w", 1).jobs().getFirst().attempt()).isEqualTo(1);
    }

    @Test
    void unparkOfAKeyNotParkedChangesNothing() {
        open();
        enqueue("a", 1);
        assertChangesNothing(() -> assertThat(queue.unpark("a")).isFalse());
        assertChangesNothing(() -> assertThat(queue.unpark("idle")).isFalse());
    }
}
