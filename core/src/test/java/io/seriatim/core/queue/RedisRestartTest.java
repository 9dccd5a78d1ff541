package io.seriatim.core.queue;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seriatim.core.redis.RedisConnector;
import io.seriatim.core.redis.RedisSettings;
import io.seriatim.core.redis.RedisUnavailableException;
import io.seriatim.core.script.Script;
import io.seriatim.core.script.ScriptStatus;
import io.seriatim.core.settings.NamespaceSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/**
 * Redis killed with SIGKILL and restarted on its AOF: the data is back, the script cache is not,
 * and callers must not notice. Redis down or frozen: every operation says so with
 * {@link RedisUnavailableException}.
 */
class RedisRestartTest extends QueueTestSupport {
    private static final NamespaceSettings.Builder SETTINGS = NamespaceSettings.builder("r").maxAttempts(2);

    /** A client that gives up fast, as a test of a dead server needs. */
    private static UnifiedJedis impatientClient() {
        return RedisConnector.connect(RedisSettings.builder(redis.server().uri())
                .connectTimeout(Duration.ofMillis(500)).socketTimeout(Duration.ofMillis(500)).poolSize(2).build());
    }

    /**
     * Fsync before every reply until the restart: with the default {@code everysec}, Redis may
     * postpone the AOF write behind a slow fsync and lose what it acknowledged just before a
     * SIGKILL, and these tests assert that state comes back exactly. (The restarted server runs
     * {@code everysec} again.)
     */
    @BeforeEach
    void durableUntilTheKill() {
        redis.client().configSet("appendfsync", "always");
    }

    private void killAndRestart() {
        redis.server().kill();
        redis.server().restart();
        // Redis 7 starts with an empty script cache; 6.2 replays the SCRIPT LOADs its AOF holds
        // (ScriptRunner loads a script after NOSCRIPT). Flush, so that both meet what 7 meets.
        redis.client().scriptFlush();
        assertThat(redis.client().scriptExists(List.of(Script.CLAIM.sha(), Script.ACK.sha(), Script.FAIL.sha(),
                Script.CLAIM.flaggedSha(), Script.ACK.flaggedSha(), Script.FAIL.flaggedSha())))
                .as("the restart emptied the script cache").containsOnly(false);
    }

    @Test
    void everyOperationWorksAfterAKillAndRestart() {
        open(SETTINGS);
        long[] a = enqueue("a", 3);
        long[] dead = enqueue("dead", 1);
        kill("dead", dead[0]);
        RedisState before = state();

        killAndRestart();
        open(SETTINGS); // the namespace is on record: the same settings open it again
        assertThat(state()).as("AOF brought everything back").isEqualTo(before);
        assertThat(KeyedQueue.openExisting(redis.client(), "r").partitionCount())
                .isEqualTo(1);

        long b = queue.enqueue(EnqueueRequest.of("b", "x".getBytes(UTF_8))).jobId(0);
        Claim claim = queue.claim(0, "w", 10, LONG_LEASE, 2);
        ClaimedKey ka = claim.keys().stream().filter(k -> k.lease().key().equals("a")).findFirst().orElseThrow();
        ClaimedKey kb = claim.keys().stream().filter(k -> k.lease().key().equals("b")).findFirst().orElseThrow();
        assertThat(ids(ka.jobs())).containsExactly(a[0], a[1]);
        assertThat(queue.ack(ka.lease(), ids(a[0]), LONG_LEASE, 1, 1).status()).isEqualTo(ScriptStatus.CONTINUE);
        assertThat(queue.renew(List.of(ka.lease(), kb.lease()), LONG_LEASE)).hasSize(2);
        assertThat(queue.fail(ka.lease(), a[1], "e", true, Duration.ZERO).status()).isEqualTo(ScriptStatus.RETRY);
        assertThat(queue.release(kb.lease())).isTrue();
        assertThat(queue.sweep(0, 10).swept()).isZero();
        assertThat(queue.park("a", "hold")).isEqualTo(ScriptStatus.OK);
        assertThat(queue.inspect("a", 5).state()).isEqualTo(KeyState.PARKED);
        assertThat(queue.unpark("a")).isTrue();
        assertThat(queue.deadJobs(0, null, 10)).extracting(d -> d.job().id()).containsExactly(dead[0]);
        assertThat(queue.replayDead("dead", false, 10)).isEqualTo(1);
        queue.pause();
        queue.resume();
        assertThat(queue.purgeDead(null, 10)).isZero();
        assertThat(queue.counts().pendingJobs()).isEqualTo(4);
        assertThat(state().queues()).containsEntry("a", ids(a[1], a[2])).containsEntry("b", ids(b))
                .containsEntry("dead", ids(dead[0]));
    }

    @Test
    void pipelinedEnqueueAllKeepsPerKeyOrderAfterARestart() {
        open(SETTINGS);
        long[] warm = enqueue("k0", 1);
        killAndRestart();
        open(SETTINGS);
        List<EnqueueRequest> requests = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            requests.add(EnqueueRequest.of("k" + (i % 3), ("" + i).getBytes(UTF_8), ("" + i).getBytes(UTF_8)));
        }
        List<EnqueueResult> results = queue.enqueueAll(requests);
        RedisState s = state();
        for (int k = 0; k < 3; k++) {
            List<Long> expected = new ArrayList<>(k == 0 ? ids(warm) : List.of());
            for (int i = k; i < 60; i += 3) {
                expected.addAll(ids(results.get(i).jobIds()));
            }
            assertThat(s.queues().get("k" + k)).as("k" + k).isEqualTo(expected);
        }
    }

    @Test
    void pipelinedEnqueueAllKeepsPerKeyOrderAfterAScriptFlush() {
        open();
        enqueue("warm", 1);
        redis.client().scriptFlush();
        List<EnqueueRequest> requests = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            requests.add(EnqueueRequest.of("k", ("" + i).getBytes(UTF_8)));
        }
        List<Long> expected = queue.enqueueAll(requests).stream().map(r -> r.jobId(0)).toList();
        assertThat(state().queues().get("k")).isEqualTo(expected);
        assertThat(expected).isSorted();
    }

    /**
     * A process keeps its client across a Redis restart. Calls on pooled connections that died
     * with the old process may fail (as "unavailable": the caller retries), but never more often
     * than the pool has connections, and never hang.
     */
    @Test
    void aLongLivedClientWorksAgainAfterARestart() {
        open(SETTINGS);
        try (UnifiedJedis client = impatientClient()) {
            KeyedQueue q = KeyedQueue.open(client, SETTINGS.build());
            q.enqueue(EnqueueRequest.of("a", new byte[1]));
            killAndRestart();
            int failures = 0;
            EnqueueResult done = null;
            while (done == null && failures <= 2) {
                try {
                    done = q.enqueue(EnqueueRequest.of("a", new byte[2]));
                } catch (RedisUnavailableException stale) {
                    failures++;
                }
            }
            assertThat(done).as("enqueued after %s failures", failures).isNotNull();
            assertThat(q.claim(0, "w", 1, LONG_LEASE, 5).keys().getFirst().jobs()).hasSize(2);
        }
    }

    /** Every operation of a queue whose Redis is gone; leases and ids need not be real. */
    private static final Map<String, Consumer<KeyedQueue>> EVERY_OPERATION = Map.ofEntries(
            Map.entry("enqueue", q -> q.enqueue(EnqueueRequest.of("k", new byte[1]))),
            Map.entry("enqueueAll", q -> q.enqueueAll(List.of(EnqueueRequest.of("k", new byte[1])))),
            Map.entry("claim", q -> q.claim(0, "w", 1, LONG_LEASE, 1)),
            Map.entry("ack", q -> q.ack(new Lease("k", 0, 1, "w", 0), List.of(1024L), LONG_LEASE, 1, 0)),
            Map.entry("renew", q -> q.renew(List.of(new Lease("k", 0, 1, "w", 0)), LONG_LEASE).failed().values()
                    .forEach(e -> {
                        throw e;
                    })),
            Map.entry("fail", q -> q.fail(new Lease("k", 0, 1, "w", 0), 1024L, "e", true, Duration.ZERO)),
            Map.entry("release", q -> q.release(new Lease("k", 0, 1, "w", 0))),
            Map.entry("sweep", q -> q.sweep(0, 10)),
            Map.entry("inspect", q -> q.inspect("k", 1)),
            Map.entry("park", q -> q.park("k", "x")),
            Map.entry("unpark", q -> q.unpark("k")),
            Map.entry("deadJobs", q -> q.deadJobs(0, null, 10)),
            Map.entry("replayDead", q -> q.replayDead(null, true, 10)),
            Map.entry("purgeDead", q -> q.purgeDead(null, 10)),
            Map.entry("pause", KeyedQueue::pause),
            Map.entry("resume", KeyedQueue::resume),
            Map.entry("counts", KeyedQueue::counts),
            Map.entry("redisTimeMs", KeyedQueue::redisTimeMs));

    @Test
    void deadRedisGivesRedisUnavailableForEveryOperation() {
        try (UnifiedJedis client = impatientClient()) {
            KeyedQueue q = KeyedQueue.open(client, SETTINGS.build());
            redis.server().kill();
            assertEveryOperationUnavailable(q);
            assertThatThrownBy(() -> KeyedQueue.open(client, SETTINGS.build()))
                    .isInstanceOf(RedisUnavailableException.class)
                    .hasMessageStartingWith("Redis unavailable while running register_namespace.lua: ");
            assertThatThrownBy(() -> KeyedQueue.openExisting(client, "r"))
                    .isInstanceOf(RedisUnavailableException.class)
                    .hasMessageStartingWith("Redis unavailable while looking up namespace 'r': ");
        }
    }

    @Test
    void frozenRedisGivesRedisUnavailableAfterTheSocketTimeout() {
        try (UnifiedJedis client = impatientClient()) {
            KeyedQueue q = KeyedQueue.open(client, SETTINGS.build());
            redis.server().pause();
            try {
                assertThatThrownBy(() -> q.claim(0, "w", 1, LONG_LEASE, 1))
                        .isInstanceOf(RedisUnavailableException.class)
                        .hasMessageStartingWith("Redis unavailable while running claim.lua: ");
                assertThatThrownBy(q::counts).isInstanceOf(RedisUnavailableException.class);
            } finally {
                redis.server().resume();
            }
        }
    }

    private static void assertEveryOperationUnavailable(KeyedQueue q) {
        EVERY_OPERATION.forEach((name, operation) -> assertThatThrownBy(() -> operation.accept(q))
                .as(name).isInstanceOf(RedisUnavailableException.class)
                .hasMessageStartingWith("Redis unavailable")
                .hasCauseInstanceOf(redis.clients.jedis.exceptions.JedisConnectionException.class));
    }
}
