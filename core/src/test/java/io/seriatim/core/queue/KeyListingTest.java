package io.seriatim.core.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seriatim.core.settings.NamespaceSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The operators' listings: stuck keys with their reasons, and keys by depth or head age. Read-only. */
class KeyListingTest extends QueueTestSupport {
    private static final Duration NO_GRACE = Duration.ZERO;

    @Test
    void eachReasonIsNamedWithItsDetails() {
        open(NamespaceSettings.builder("stuck").maxAttempts(5));
        enqueue("expired", 2);
        ClaimedKey expired = claimExpired("w-dead"); // its deadline is Redis' now; no sweeper runs here
        enqueue("running", 2);
        ClaimedKey running = claimOne(0, "w-slow", 1, LONG_LEASE);
        long[] backoff = enqueue("backoff", 1);
        ClaimedKey failing = claimOne(0, "w-fail", 1, LONG_LEASE);
        queue.fail(failing.lease(), backoff[0], "boom", true, Duration.ofHours(1));
        enqueue("parked", 1);
        queue.park("parked", "look at it");
        enqueue("fine", 1);

        StuckKeys s = queue.raw().stuckKeys(Duration.ZERO, NO_GRACE, 10);
        Map<String, StuckKey> byKey = s.keys().stream().collect(Collectors.toMap(StuckKey::key, k -> k));
        assertThat(s.keys()).extracting(StuckKey::reason).containsExactly(StuckKey.Reason.LEASE_EXPIRED,
                StuckKey.Reason.RUNNING_LONG, StuckKey.Reason.PARKED, StuckKey.Reason.BACKING_OFF);
        assertThat(byKey.get("expired").workerId()).isEqualTo("w-dead");
        assertThat(byKey.get("expired").fence()).isEqualTo(expired.lease().fence());
        assertThat(byKey.get("expired").sinceMs()).isEqualTo(expired.lease().deadlineMs());
        assertThat(byKey.get("running").workerId()).isEqualTo("w-slow");
        assertThat(byKey.get("running").fence()).isEqualTo(running.lease().fence());
        assertThat(byKey.get("parked").detail()).isEqualTo("look at it");
        assertThat(byKey.get("backoff").attempts()).isEqualTo(1);
        assertThat(byKey.get("backoff").untilMs()).isGreaterThan(s.nowMs() + Duration.ofMinutes(59).toMillis());
        assertThat(byKey).doesNotContainKey("fine");
        assertThat(s.parkedKeys()).isEqualTo(1);
        assertThat(s.paused()).isFalse();
        assertThat(s.truncated()).isFalse();

        // A lease well inside the threshold and an expiry inside the grace are not stuck.
        StuckKeys lenient = queue.raw().stuckKeys(Duration.ofHours(1), Duration.ofHours(1), 10);
        assertThat(lenient.keys()).extracting(StuckKey::key).containsExactly("parked", "backoff");
    }

    @Test
    void aPausedNamespaceAndOverdueDelayedJobsAreNamedForTheNamespace() {
        open();
        // Due at once, and no sweeper promotes it.
        queue.raw().enqueueAt(EnqueueRequest.of("later", "x".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                queue.raw().redisTimeMs());
        queue.pause();
        StuckKeys s = queue.raw().stuckKeys(Duration.ofHours(1), NO_GRACE, 10);
        assertThat(s.paused()).isTrue();
        assertThat(s.overdueDelayedJobs()).isEqualTo(1);
        assertThat(s.oldestOverdueMs()).isLessThanOrEqualTo(s.nowMs());
        queue.resume();
    }

    @Test
    void theLimitCutsTheListAndSaysSo() {
        open(NamespaceSettings.builder("many").partitions(3));
        for (int i = 0; i < 12; i++) {
            enqueue("k" + i, 1);
            queue.park("k" + i, "held");
        }
        StuckKeys s = queue.raw().stuckKeys(Duration.ofHours(1), NO_GRACE, 5);
        assertThat(s.keys()).hasSize(5);
        assertThat(s.truncated()).isTrue();
        assertThat(s.parkedKeys()).isEqualTo(12);
    }

    @Test
    void topKeysByDepthAndByHeadAgeWithAPrefix() {
        open(NamespaceSettings.builder("top").partitions(2));
        enqueue("post-old", 1);
        awaitRedisClockPast(queue.raw().redisTimeMs()); // the next heads are submitted a millisecond later at least
        enqueue("post-deep", 5);
        enqueue("user-deepest", 9);
        queue.park("user-deepest", "held");
        enqueue("post-mid", 3);
        claimOne(queue.partitionOf("post-mid"), "w", 1, LONG_LEASE);

        List<KeyRow> byDepth = queue.raw().topKeys(KeyRow.Order.DEPTH, null, 10);
        assertThat(byDepth).extracting(KeyRow::key).containsExactly("user-deepest", "post-deep", "post-mid", "post-old");
        assertThat(byDepth.getFirst().state()).isEqualTo(KeyState.PARKED);
        assertThat(byDepth).extracting(KeyRow::depth).containsExactly(9L, 5L, 3L, 1L);

        assertThat(queue.raw().topKeys(KeyRow.Order.AGE, "post-", 2)).extracting(KeyRow::key).first()
                .isEqualTo("post-old");
        assertThat(queue.raw().topKeys(KeyRow.Order.AGE, "post-", 2)).hasSize(2);
        assertThat(queue.raw().topKeys(KeyRow.Order.DEPTH, "nobody", 5)).isEmpty();
        assertThat(queue.raw().topKeys(KeyRow.Order.DEPTH, "p*st", 5)).as("glob characters are literal").isEmpty();
    }

    @Test
    void listingsChangeNothingAndRefuseABadLimit() {
        open();
        enqueue("a", 2);
        claimOne("w", 1);
        enqueue("b", 1);
        queue.park("b", "x");
        assertChangesNothing(() -> queue.raw().stuckKeys(Duration.ZERO, NO_GRACE, 10));
        assertChangesNothing(() -> queue.raw().topKeys(KeyRow.Order.AGE, null, 10));
        assertThatThrownBy(() -> queue.raw().topKeys(KeyRow.Order.DEPTH, null, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> queue.raw().stuckKeys(Duration.ZERO, NO_GRACE, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Waits for Redis' clock to pass {@code ms}: submit times come from it. */
    private void awaitRedisClockPast(long ms) {
        while (queue.raw().redisTimeMs() <= ms) {
            Thread.onSpinWait();
        }
    }
}
