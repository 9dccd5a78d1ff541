package io.seriatim.core.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.seriatim.core.script.ScriptStatus;
import io.seriatim.core.settings.FailurePolicy;
import io.seriatim.core.settings.NamespaceSettings;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * park and unpark: an operator's hold on a key. A park never takes a key from a holder that may
 * be running one of its jobs: it waits for the holder's ack, fail or release, or its lease's
 * expiry, so that no second run of the key starts beside the first.
 */
class ParkScriptTest extends QueueTestSupport {

    /** The observed bug: park then unpark of a running key let a second worker start it (fence 26 beside 25). */
    @Test
    void parkAndUnparkOfARunningKeyNeverStartASecondRun() {
        open();
        long[] ids = enqueue("a", 2);
        Lease lease = claimOne("w1", 1).lease();
        ParkResult park = queue.parkResult("a", "investigating");
        assertThat(park).isEqualTo(new ParkResult(ScriptStatus.DEFERRED, lease.fence(), "w1", lease.deadlineMs()));
        assertThat(queue.claim(0, "w2", 10, LONG_LEASE, 1).keys()).isEmpty();
        assertThat(queue.unparkStatus("a")).isEqualTo(ScriptStatus.CANCELLED);
        assertThat(queue.claim(0, "w2", 10, LONG_LEASE, 1).keys()).as("the holder still runs the key").isEmpty();
        AckResult ack = queue.ack(lease, ids(ids[0]), LONG_LEASE, 1, 0);
        assertThat(ack.status()).as("the withdrawn park changes nothing for the holder").isEqualTo(ScriptStatus.CONTINUE);
        assertThat(ids(ack.nextJobs())).containsExactly(ids[1]);
    }

    @Test
    void parkOfALeasedKeyTakesEffectAtTheHoldersAck() {
        open();
        long[] ids = enqueue("a", 3);
        Lease lease = claimOne("w1", 1).lease();
        assertThat(queue.park("a", "investigating")).isEqualTo(ScriptStatus.DEFERRED);
        RedisState s = state();
        assertThat(s.leases()).containsOnlyKeys("a");
        assertThat(s.parked()).isEmpty();
        assertThat(s.deferred()).containsKey("a");
        assertThat(queue.park("a", "again")).as("a repeat waits too, first reason kept").isEqualTo(ScriptStatus.DEFERRED);
        assertThat(queue.ack(lease, ids(ids[0]), LONG_LEASE, 1, 0).status()).isEqualTo(ScriptStatus.HANDED_OVER);
        s = state();
        assertThat(s.parked()).containsEntry("a", "investigating");
        assertThat(s.leases()).isEmpty();
        assertThat(s.deferred()).isEmpty();
        assertThat(queue.claim(0, "w2", 10, LONG_LEASE, 1).keys()).isEmpty();
        assertThat(queue.unparkStatus("a")).isEqualTo(ScriptStatus.OK);
        assertThat(ids(claimOne("w2", 2).jobs())).containsExactly(ids[1], ids[2]);
    }

    @Test
    void parkOfALeasedKeyTakesEffectAtFailReleaseOrExpiry() {
        open(NamespaceSettings.builder("p").maxAttempts(5));
        long[] ids = enqueue("a", 1);
        Lease failing = claimOne("w", 1).lease();
        queue.park("a", "one");
        assertThat(queue.fail(failing, ids[0], "boom", true, Duration.ZERO).status()).isEqualTo(ScriptStatus.RETRY);
        assertThat(state().parked()).containsEntry("a", "one");
        assertThat(state().ready()).isEmpty();

        queue.unpark("a");
        Lease releasing = claimOne("w", 1).lease();
        queue.park("a", "two");
        assertThat(queue.release(releasing)).isTrue();
        assertThat(state().parked()).containsEntry("a", "two");

        queue.unpark("a");
        claimOne(0, "w", 1, Duration.ZERO); // its worker dies
        queue.park("a", "three");
        assertThat(queue.sweep(0, 10).swept()).isEqualTo(1);
        RedisState s = state();
        assertThat(s.parked()).containsEntry("a", "three");
        assertThat(s.attempts()).as("the expiry still counts").containsEntry("a", "1");
    }

    @Test
    void aWaitingParkOfAKeyWhoseLastJobIsAckedLeavesItIdle() {
        open();
        long[] ids = enqueue("a", 1);
        Lease lease = claimOne("w", 1).lease();
        queue.park("a", "late");
        assertThat(queue.ack(lease, ids(ids[0]), LONG_LEASE, 1, 0).status()).isEqualTo(ScriptStatus.RELEASED);
        RedisState s = state();
        assertThat(s.parked()).isEmpty();
        assertThat(s.deferred()).isEmpty();
        assertThat(queue.unparkStatus("a")).isEqualTo(ScriptStatus.NOT_PARKED);
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
        claimOne("w", 1);
        assertChangesNothing(() -> assertThat(queue.unparkStatus("a")).isEqualTo(ScriptStatus.NOT_PARKED));
    }

    @Test
    void aReplayAndAParkBothWaitingApplyTogether() {
        open(NamespaceSettings.builder("both").maxAttempts(1));
        long[] ids = enqueue("a", 3);
        kill("a", ids[0]);
        Lease lease = claimOne("w", 1).lease();
        queue.park("a", "both");
        queue.replayDead("a", true, 10);
        assertThat(queue.ack(lease, ids(ids[1]), LONG_LEASE, 1, 0).status()).isEqualTo(ScriptStatus.HANDED_OVER);
        RedisState s = state();
        assertThat(s.parked()).containsEntry("a", "both");
        assertThat(s.queues().get("a")).containsExactly(ids[0], ids[2]);
        assertThat(queue.claim(0, "w2", 10, LONG_LEASE, 1).keys()).isEmpty();
        List<Long> afterUnpark = queue.unpark("a") ? ids(claimOne("w2", 2).jobs()) : List.of();
        assertThat(afterUnpark).containsExactly(ids[0], ids[2]);
    }
}
