package io.seriatim.core.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.seriatim.core.script.ScriptStatus;
import io.seriatim.core.settings.NamespaceSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AckScriptTest extends QueueTestSupport {
    @BeforeEach
    void setUp() {
        open();
    }

    private void assertAckChangesNothing(Lease lease, List<Long> jobIds, ScriptStatus expected) {
        assertChangesNothing(() -> assertThat(queue.ack(lease, jobIds, LONG_LEASE, 1, 0).status()).isEqualTo(expected));
    }

    @Test
    void ackRemovesTheHeadAndReturnsTheNextBatch() {
        long[] ids = enqueue("a", 5);
        ClaimedKey held = claimOne("w", 2);
        AckResult r = queue.ack(held.lease(), ids(ids[0], ids[1]), LONG_LEASE, 2, 0);
        assertThat(r.status()).isEqualTo(ScriptStatus.CONTINUE);
        assertThat(ids(r.nextJobs())).containsExactly(ids[2], ids[3]);
        RedisState s = state();
        assertThat(s.queues().get("a")).containsExactly(ids[2], ids[3], ids[4]);
        assertThat(s.stats()).containsEntry("acked", 2L);
        assertThat(s.owners().get("a")).as("jobs run under this lease").contains("|2|w");
    }

    @Test
    void ackSkipsTheJobsTheWorkerAlreadyHolds() {
        long[] ids = enqueue("a", 5);
        ClaimedKey held = claimOne("w", 3);
        AckResult r = queue.ack(held.lease(), ids(ids[0]), LONG_LEASE, 2, 2);
        assertThat(ids(r.nextJobs())).containsExactly(ids[3], ids[4]);
    }

    @Test
    void ackOfLastJobReleasesTheKey() {
        long[] ids = enqueue("a", 1);
        ClaimedKey held = claimOne("w", 1);
        assertThat(queue.ack(held.lease(), ids(ids[0]), LONG_LEASE, 1, 0).status()).isEqualTo(ScriptStatus.RELEASED);
        RedisState s = state();
        assertThat(s.queues()).isEmpty();
        assertThat(s.leases()).isEmpty();
        assertThat(s.owners()).isEmpty();
        assertThat(s.ready()).isEmpty();
        assertThat(queue.ack(held.lease(), ids(ids[0]), LONG_LEASE, 1, 0).status())
                .as("the lease ended with the key").isEqualTo(ScriptStatus.STALE);
    }

    @Test
    void staleFenceCannotAck() {
        long[] ids = enqueue("a", 2);
        Lease lease = claimOne("w", 2).lease();
        assertAckChangesNothing(new Lease("a", 0, lease.fence() - 1, "w", lease.deadlineMs()), ids(ids[0]),
                ScriptStatus.STALE);
        assertAckChangesNothing(new Lease("a", 0, lease.fence() + 1, "w", lease.deadlineMs()), ids(ids[0]),
                ScriptStatus.STALE);
    }

    @Test
    void otherWorkerWithSameFenceCannotAck() {
        long[] ids = enqueue("a", 2);
        Lease lease = claimOne("w", 2).lease();
        for (String impostor : List.of("other", "w ", "W", "")) {
            assertAckChangesNothing(new Lease("a", 0, lease.fence(), impostor, lease.deadlineMs()), ids(ids[0]),
                    ScriptStatus.STALE);
        }
    }

    @Test
    void ackOfWrongHeadChangesNothing() {
        long[] ids = enqueue("a", 3);
        Lease lease = claimOne("w", 3).lease();
        for (List<Long> wrong : List.of(ids(ids[1]), ids(ids[1], ids[0]), ids(ids[0], ids[2]),
                ids(ids[0], ids[1], ids[2], ids[2] + 1024), ids(ids[0] + 1024), ids(ids[0] / 1024))) {
            assertAckChangesNothing(lease, wrong, ScriptStatus.HEAD_MISMATCH);
        }
    }

    @Test
    void ackResetsTheAttemptsOfTheNextHead() {
        long[] ids = enqueue("a", 2);
        queue.fail(claimOne("w", 2).lease(), ids[0], "once", true, Duration.ZERO);
        assertThat(state().attempts()).containsEntry("a", "1");
        AckResult r = queue.ack(claimOne("w", 2).lease(), ids(ids[0]), LONG_LEASE, 1, 1);
        assertThat(r.status()).isEqualTo(ScriptStatus.CONTINUE);
        assertThat(state().attempts()).isEmpty();
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
    void fairnessBudgetSendsHotKeyToBackOfReady() {
        open(NamespaceSettings.builder("fair").fairnessJobs(2).fairnessTime(Duration.ZERO));
        long[] hot = enqueue("hot", 10);
        ClaimedKey held = claimOne("w", 1);
        enqueue("cold", 1);
        assertThat(queue.ack(held.lease(), ids(hot[0]), LONG_LEASE, 1, 0).status()).isEqualTo(ScriptStatus.CONTINUE);
        assertThat(queue.ack(held.lease(), ids(hot[1]), LONG_LEASE, 1, 0).status()).isEqualTo(ScriptStatus.YIELDED);
        RedisState s = state();
        assertThat(s.ready()).containsOnlyKeys("hot", "cold");
        assertThat(s.ready().get("hot")).isGreaterThanOrEqualTo(s.ready().get("cold"));
        assertThat(s.queues().get("hot")).hasSize(8);
        assertThat(queue.claim(0, "w", 1, LONG_LEASE, 1).keys().getFirst().lease().key()).isEqualTo("cold");
        assertThat(queue.ack(held.lease(), ids(hot[2]), LONG_LEASE, 1, 0).status())
                .as("the yielded lease is over").isEqualTo(ScriptStatus.STALE);
    }

    @Test
    void fairnessTimeBudgetYieldsAKeyHeldTooLong() {
        open(NamespaceSettings.builder("fair-time").fairnessJobs(0).fairnessTime(Duration.ofMillis(1)));
        long[] ids = enqueue("hot", 3);
        Claim claim = queue.claim(0, "w", 1, LONG_LEASE, 1);
        // Waits for Redis' clock to pass the 1 ms budget: the only thing this test waits on.
        await().atMost(Duration.ofSeconds(30)).until(() -> queue.redisTimeMs() > claim.redisTimeMs() + 1);
        assertThat(queue.ack(claim.keys().getFirst().lease(), ids(ids[0]), LONG_LEASE, 1, 0).status())
                .isEqualTo(ScriptStatus.YIELDED);
        assertThat(state().ready()).containsOnlyKeys("hot");
    }

    @Test
    void noFairnessLimitKeepsTheKey() {
        open(NamespaceSettings.builder("unfair").fairnessJobs(0).fairnessTime(Duration.ZERO));
        long[] ids = enqueue("hot", 20);
        Lease lease = claimOne("w", 1).lease();
        for (int i = 0; i < 19; i++) {
            assertThat(queue.ack(lease, ids(ids[i]), LONG_LEASE, 1, 0).status()).isEqualTo(ScriptStatus.CONTINUE);
        }
    }
    @Test
    void oneCallAcksManyKeysEachAsIfAlone() {
        long[] a = enqueue("a", 3);
        long[] b = enqueue("b", 1);
        long[] c = enqueue("c", 2);
        long[] d = enqueue("d", 2);
        Claim claim = queue.claim(0, "w", 4, LONG_LEASE, 1);
        Map<String, Lease> held = new HashMap<>();
        claim.keys().forEach(k -> held.put(k.lease().key(), k.lease()));
        Lease staleD = new Lease("d", 0, held.get("d").fence() - 1, "w", 0);
        List<AckResult> r = queue.ackAll(List.of(
                new AckRequest(held.get("a"), ids(a[0]), 2, 0),
                new AckRequest(held.get("b"), ids(b[0]), 1, 0),
                new AckRequest(held.get("c"), ids(c[1]), 1, 0),
                new AckRequest(staleD, ids(d[0]), 1, 0),
                new AckRequest(held.get("a"), ids(a[1]), 1, 0)), LONG_LEASE);
        assertThat(r).extracting(AckResult::status).containsExactly(ScriptStatus.CONTINUE, ScriptStatus.RELEASED,
                ScriptStatus.HEAD_MISMATCH, ScriptStatus.STALE, ScriptStatus.HEAD_MISMATCH);
        assertThat(ids(r.getFirst().nextJobs())).containsExactly(a[1], a[2]);
        RedisState s = state();
        assertThat(s.queues()).containsOnlyKeys("a", "c", "d");
        assertThat(s.queues().get("a")).containsExactly(a[1], a[2]);
        assertThat(s.queues().get("c")).as("a wrong head changes nothing").containsExactly(c[0], c[1]);
        assertThat(s.leases()).containsOnlyKeys("a", "c", "d");
        assertThat(s.leases().get("a")).isEqualTo((double) r.getFirst().deadlineMs());
        assertThat(s.owners()).containsOnlyKeys("a", "c", "d");
        assertThat(s.stats()).containsEntry("acked", 2L);
    }

    @Test
    void acksOfDifferentPartitionsGoInOnePipeline() {
        open(NamespaceSettings.builder("two").partitions(2));
        Map<Integer, String> keyOf = new HashMap<>();
        for (int i = 0; keyOf.size() < 2; i++) {
            keyOf.putIfAbsent(queue.partitionOf("k" + i), "k" + i);
        }
        List<AckRequest> requests = new ArrayList<>();
        for (var e : keyOf.entrySet()) {
            long[] ids = enqueue(e.getValue(), 2);
            Lease lease = queue.claim(e.getKey(), "w", 1, LONG_LEASE, 1).keys().getFirst().lease();
            requests.add(new AckRequest(lease, ids(ids[0]), 1, 0));
        }
        assertThat(queue.ackAll(requests, LONG_LEASE)).extracting(AckResult::status)
                .containsOnly(ScriptStatus.CONTINUE).hasSize(2);
        assertThat(queue.counts().pendingJobs()).isEqualTo(2);
    }
}
