package io.seriatim.core.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ClaimScriptTest extends QueueTestSupport {
    @BeforeEach
    void setUp() {
        open();
    }

    @Test
    void claimMovesKeysFromReadyToLeasesWithTheirFirstBatch() {
        long[] a = enqueue("a", 5);
        enqueue("b", 1);
        Claim claim = queue.claim(0, "w", 10, LONG_LEASE, 2);
        check("after claim");
        assertThat(claim.keys()).extracting(k -> k.lease().key()).containsExactly("a", "b");
        assertThat(ids(claim.keys().getFirst().jobs())).containsExactly(a[0], a[1]);
        RedisState s = state();
        assertThat(s.ready()).isEmpty();
        assertThat(s.leases()).containsOnlyKeys("a", "b");
        assertThat(claim.keys().getFirst().lease().deadlineMs()).isEqualTo(claim.redisTimeMs() + LONG_LEASE.toMillis());
    }

    @Test
    void claimGrantsIncreasingFences() {
        enqueue("a", 1);
        enqueue("b", 1);
        long first = claimOne("w", 1).lease().fence();
        long second = claimOne("w", 1).lease().fence();
        assertThat(second).isGreaterThan(first);
    }

    @Test
    void claimRespectsMaxKeysAndSaysMoreAreDue() {
        enqueue("a", 1);
        enqueue("b", 1);
        Claim claim = queue.claim(0, "w", 1, LONG_LEASE, 1);
        assertThat(claim.keys()).hasSize(1);
        assertThat(claim.nextDueMs()).isBetween(0L, claim.redisTimeMs());
        assertThat(redis.client().llen(queue.keys().partition(0).bell())).isEqualTo(1);
    }

    @Test
    void claimReturnsNothingWhilePaused() {
        enqueue("a", 1);
        queue.pause();
        Claim claim = queue.claim(0, "w", 10, LONG_LEASE, 1);
        assertThat(claim.paused()).isTrue();
        assertThat(claim.keys()).isEmpty();
        queue.resume();
        assertThat(queue.claim(0, "w", 10, LONG_LEASE, 1).keys()).hasSize(1);
    }

    @Test
    void claimSkipsKeysNotYetDueAndReportsWhenTheyAre() {
        long[] ids = enqueue("a", 1);
        ClaimedKey held = claimOne("w", 1);
        FailResult f = queue.fail(held.lease(), ids[0], "later", true, Duration.ofMinutes(1));
        Claim claim = queue.claim(0, "w", 10, LONG_LEASE, 1);
        assertThat(claim.keys()).isEmpty();
        assertThat(claim.nextDueMs()).isEqualTo(f.readyAtMs());
    }

    @Test
    void claimOfAnEmptyPartitionReportsNothingDue() {
        Claim claim = queue.claim(0, "w", 10, LONG_LEASE, 1);
        assertThat(claim.keys()).isEmpty();
        assertThat(claim.nextDueMs()).isEqualTo(-1);
    }

    @Test
    void enqueueRingsTheBellForAnIdleKey() {
        enqueue("a", 1);
        assertThat(redis.client().blpop(1.0, queue.keys().partition(0).bell())).isNotNull();
    }
}
