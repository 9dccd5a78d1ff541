package io.seriatim.core.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
        long[] b = enqueue("b", 1);
        Claim claim = queue.claim(0, "w", 10, LONG_LEASE, 2);
        assertThat(claim.keys()).extracting(k -> k.lease().key()).containsExactly("a", "b");
        assertThat(ids(claim.keys().get(0).jobs())).containsExactly(a[0], a[1]);
        assertThat(ids(claim.keys().get(1).jobs())).containsExactly(b[0]);
        RedisState s = state();
        assertThat(s.ready()).isEmpty();
        assertThat(s.leases()).containsOnlyKeys("a", "b");
        assertThat(s.queues().get("a")).as("claiming pops nothing").hasSize(5);
        for (ClaimedKey k : claim.keys()) {
            assertThat(k.lease().deadlineMs()).isEqualTo(claim.redisTimeMs() + LONG_LEASE.toMillis());
            assertThat(k.lease().workerId()).isEqualTo("w");
            assertThat(s.owners().get(k.lease().key())).isEqualTo(k.lease().fence() + "|" + claim.redisTimeMs() + "|0|w");
        }
    }

    @Test
    void claimGrantsIncreasingFences() {
        long[] ids = enqueue("a", 3);
        enqueue("b", 1);
        long previous = 0;
        // New leases after a claim, a release, an expiry and a retry: each fence beats all before.
        Lease first = claimOne("w1", 1).lease();
        Lease second = claimOne("w2", 1).lease();
        queue.release(first);
        Lease third = claimOne(0, "w1", 1, Duration.ZERO).lease();
        queue.sweep(0, 10);
        Lease fourth = claimOne("w3", 1).lease();
        queue.fail(fourth, ids[0], "again", true, Duration.ZERO);
        Lease fifth = claimOne("w3", 1).lease();
        for (Lease lease : List.of(first, second, third, fourth, fifth)) {
            assertThat(lease.fence()).isGreaterThan(previous);
            previous = lease.fence();
        }
    }

    @Test
    void claimRespectsMaxKeysAndRingsTheBellForTheRest() {
        enqueue("a", 1);
        enqueue("b", 1);
        redis.client().del(queue.keys().partition(0).bell());
        Claim claim = queue.claim(0, "w", 1, LONG_LEASE, 1);
        assertThat(claim.keys()).hasSize(1);
        assertThat(claim.nextDueMs()).isBetween(0L, claim.redisTimeMs());
        assertThat(redis.client().llen(queue.keys().partition(0).bell())).isEqualTo(1);
    }

    @Test
    void claimReturnsNothingWhilePaused() {
        enqueue("a", 1);
        queue.pause();
        Claim[] claim = new Claim[1];
        assertChangesNothing(() -> claim[0] = queue.claim(0, "w", 10, LONG_LEASE, 1));
        assertThat(claim[0].paused()).isTrue();
        assertThat(claim[0].keys()).isEmpty();
        queue.resume();
        assertThat(queue.claim(0, "w", 10, LONG_LEASE, 1).keys()).hasSize(1);
    }

    @Test
    void claimSkipsKeysNotYetDueAndReportsWhenTheyAre() {
        long[] ids = enqueue("a", 1);
        FailResult f = queue.fail(claimOne("w", 1).lease(), ids[0], "later", true, Duration.ofMinutes(1));
        Claim claim = queue.claim(0, "w", 10, LONG_LEASE, 1);
        assertThat(claim.keys()).isEmpty();
        assertThat(claim.nextDueMs()).isEqualTo(f.readyAtMs());
    }

    @Test
    void claimOfAnEmptyPartitionReportsNothingDue() {
        Claim claim = queue.claim(0, "w", 10, LONG_LEASE, 1);
        assertThat(claim.keys()).isEmpty();
        assertThat(claim.nextDueMs()).isEqualTo(-1);
        assertThat(claim.paused()).isFalse();
    }

    @Test
    void claimTellsTheHeadJobsAttempt() {
        long[] ids = enqueue("a", 2);
        queue.fail(claimOne("w", 2).lease(), ids[0], "once", true, Duration.ZERO);
        queue.fail(claimOne("w", 2).lease(), ids[0], "twice", true, Duration.ZERO);
        assertThat(claimOne("w", 2).jobs()).extracting(Job::attempt).containsExactly(3, 1);
    }

    @Test
    void claimOfOnePartitionLeavesTheOthersAlone() {
        open(io.seriatim.core.settings.NamespaceSettings.builder("two").partitions(2));
        List<String> keys = List.of("a", "b", "c", "d", "e", "f");
        keys.forEach(k -> enqueue(k, 1));
        Claim claim = queue.claim(1, "w", 100, LONG_LEASE, 1);
        List<String> inOne = keys.stream().filter(k -> queue.partitionOf(k) == 1).toList();
        assertThat(claim.keys()).extracting(k -> k.lease().key()).containsExactlyInAnyOrderElementsOf(inOne);
        assertThat(claim.keys()).allMatch(k -> k.lease().partition() == 1);
        assertThat(state().ready()).hasSize(keys.size() - inOne.size());
    }
    /** 2,500 keys make 5,000 lease and owner values: more than one unpack() can take at once. */
    @Test
    void claimOfMoreKeysThanLuaCanUnpackGrantsThemAll() {
        List<EnqueueRequest> requests = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            requests.add(EnqueueRequest.of("k" + i, new byte[] {1}));
        }
        queue.enqueueAll(requests);
        Claim claim = queue.claim(0, "w", 2500, LONG_LEASE, 1);
        assertThat(claim.keys()).hasSize(2500);
        assertThat(claim.keys()).extracting(k -> k.lease().fence()).doesNotHaveDuplicates();
        RedisState s = state();
        assertThat(s.leases()).hasSize(2500);
        assertThat(s.owners()).hasSize(2500);
        assertThat(s.ready()).isEmpty();
    }
}
