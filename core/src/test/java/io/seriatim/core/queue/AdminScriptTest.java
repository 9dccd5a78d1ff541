package io.seriatim.core.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.seriatim.core.script.ScriptStatus;
import io.seriatim.core.settings.NamespaceSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** park / unpark, the dead-letter stream, pause / resume, inspect and counts. */
class AdminScriptTest extends QueueTestSupport {

    /** Dead-letters the head job of {@code key} (maxAttempts is 1 in these tests). */
    void kill(String key, long headId) {
        Claim claim = queue.claim(queue.partitionOf(key), "w", 100, LONG_LEASE, 1);
        Lease lease = claim.keys().stream().filter(k -> k.lease().key().equals(key)).findFirst().orElseThrow().lease();
        claim.keys().stream().filter(k -> !k.lease().key().equals(key)).forEach(k -> queue.release(k.lease()));
        assertThat(queue.fail(lease, headId, "dead " + headId, false, Duration.ZERO).status()).isEqualTo(ScriptStatus.DEAD);
        check("after dead letter");
    }

    @Test
    void parkRevokesALeaseAndHoldsTheKey() {
        open();
        long[] ids = enqueue("a", 2);
        Lease lease = claimOne("w", 1).lease();
        assertThat(queue.park("a", "investigating")).isEqualTo(ScriptStatus.OK);
        RedisState s = check("after park");
        assertThat(s.parked()).containsEntry("a", "investigating");
        assertThat(queue.ack(lease, ids(ids[0]), LONG_LEASE, 1, 0).status()).isEqualTo(ScriptStatus.STALE);
        assertThat(queue.park("a", "again")).isEqualTo(ScriptStatus.ALREADY_PARKED);
    }

    @Test
    void parkOfAKeyWithoutJobsIsRefused() {
        open();
        assertThat(queue.park("nothing", null)).isEqualTo(ScriptStatus.NOT_FOUND);
        assertThat(state().parked()).isEmpty();
    }

    @Test
    void unparkResetsAttemptsAndMakesTheKeyReady() {
        open(NamespaceSettings.builder("a").maxAttempts(2).failurePolicy(io.seriatim.core.settings.FailurePolicy.PARK));
        long[] ids = enqueue("a", 1);
        queue.fail(claimOne("w", 1).lease(), ids[0], "x", false, Duration.ZERO);
        assertThat(state().attempts()).containsEntry("a", "1");
        assertThat(queue.unpark("a")).isTrue();
        RedisState s = check("after unpark");
        assertThat(s.ready()).containsKey("a");
        assertThat(s.attempts()).isEmpty();
        assertThat(queue.unpark("a")).as("not parked any more").isFalse();
    }

    @Test
    void dlqReplayToTheTailAppendsInDeathOrder() {
        open(NamespaceSettings.builder("d").maxAttempts(1));
        long[] ids = enqueue("a", 3);
        kill("a", ids[0]);
        kill("a", ids[1]);
        assertThat(queue.replayDead("a", false, 100)).isEqualTo(2);
        RedisState s = check("after replay");
        assertThat(s.queues().get("a")).containsExactly(ids[2], ids[0], ids[1]);
        assertThat(s.dlqJobIds()).isEmpty();
    }

    @Test
    void dlqReplayToTheHeadKeepsDeathOrderAndRunsThemNext() {
        open(NamespaceSettings.builder("d").maxAttempts(1));
        long[] ids = enqueue("a", 3);
        kill("a", ids[0]);
        kill("a", ids[1]);
        queue.replayDead(null, true, 100);
        assertThat(check("after replay").queues().get("a")).containsExactly(ids[0], ids[1], ids[2]);
    }

    @Test
    void dlqReplayToTheHeadOfALeasedKeyRevokesTheLease() {
        open(NamespaceSettings.builder("d").maxAttempts(1));
        long[] ids = enqueue("a", 3);
        kill("a", ids[0]);
        Lease lease = claimOne("w", 1).lease();
        queue.replayDead("a", true, 100);
        RedisState s = check("after replay");
        assertThat(s.ready()).containsKey("a");
        assertThat(queue.ack(lease, ids(ids[1]), LONG_LEASE, 1, 0).status()).isEqualTo(ScriptStatus.STALE);
    }

    @Test
    void dlqReplayOfAnIdleKeyMakesItReady() {
        open(NamespaceSettings.builder("d").maxAttempts(1));
        long[] ids = enqueue("a", 1);
        kill("a", ids[0]);
        assertThat(state().queues()).isEmpty();
        queue.replayDead("a", false, 10);
        assertThat(check("after replay").ready()).containsKey("a");
    }

    @Test
    void dlqPurgeDeletesOnlyThatKeysDeadJobs() {
        open(NamespaceSettings.builder("d").maxAttempts(1));
        long[] a = enqueue("a", 1);
        long[] b = enqueue("b", 1);
        kill("a", a[0]);
        kill("b", b[0]);
        assertThat(queue.purgeDead("a", 100)).isEqualTo(1);
        assertThat(state().dlqJobIds()).containsExactly(b[0]);
    }

    @Test
    void inspectShowsStateOwnerAttemptsAndHead() {
        open();
        long[] ids = enqueue("a", 3);
        assertThat(queue.inspect("a", 2).state()).isEqualTo(KeyState.READY);
        Lease lease = claimOne("w", 1).lease();
        KeyInspection k = queue.inspect("a", 2);
        assertThat(k.state()).isEqualTo(KeyState.LEASED);
        assertThat(k.owner()).endsWith("|w").startsWith(lease.fence() + "|");
        assertThat(k.pending()).isEqualTo(3);
        assertThat(ids(k.head())).containsExactly(ids[0], ids[1]);
        assertThat(queue.inspect("none", 2).state()).isEqualTo(KeyState.IDLE);
    }

    @Test
    void countsSumGaugesAndCounters() {
        open(NamespaceSettings.builder("c").partitions(3).maxAttempts(1));
        for (String k : new String[] {"a", "b", "c", "d"}) {
            enqueue(k, 2);
        }
        QueueCounts c = queue.counts();
        assertThat(c.pendingJobs()).isEqualTo(8);
        assertThat(c.readyKeys()).isEqualTo(4);
        assertThat(c.counters()).containsEntry("enqueued", 8L);
        queue.pause();
        assertThat(queue.counts().paused()).isTrue();
        queue.resume();
    }
}
