package io.seriatim.worker;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.codahale.metrics.MetricRegistry;
import io.seriatim.core.queue.EnqueueRequest;
import io.seriatim.core.queue.KeyState;
import io.seriatim.core.queue.KeyedQueue;
import io.seriatim.core.redis.RedisConnector;
import io.seriatim.core.redis.RedisSettings;
import io.seriatim.core.settings.NamespaceSettings;
import io.seriatim.localredis.RedisCluster;
import io.seriatim.localredis.RedisServer;
import io.seriatim.testkit.DeploymentExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.UnifiedJedis;

/**
 * A worker on a real local Redis Cluster (3 masters, 3 replicas) holding keys on every master
 * when one master freezes, its replica kept from taking over: the other masters' keys keep their
 * leases past the lease time, their jobs are acknowledged and new keys there are claimed; only
 * the frozen master's keys stall (issue 15, part 2).
 */
class WorkerClusterFailureTest {
    @RegisterExtension
    static final DeploymentExtension<RedisCluster> cluster = DeploymentExtension.cluster();

    /** 12 partitions, 4 on each master (spread tags). */
    private static final NamespaceSettings SPREAD = NamespaceSettings.builder("spread").partitions(12).build();
    private static final Duration LEASE = Duration.ofSeconds(3);

    @Test
    void aFrozenMasterStallsOnlyTheKeysItHolds() {
        RedisCluster c = cluster.deployment();
        // Short socket timeouts: every call to the frozen master costs one.
        RedisSettings impatient = RedisSettings.builder(cluster.uri()).socketTimeout(Duration.ofMillis(250))
                .connectTimeout(Duration.ofMillis(250)).poolSize(64).build();
        try (UnifiedJedis redis = RedisConnector.connect(RedisSettings.of(cluster.uri()))) {
            KeyedQueue queue = KeyedQueue.open(redis, SPREAD);
            RedisServer frozen = c.masters().get(1);
            List<String> keys = WorkerTestSupport.keys("k", 60);
            Set<String> frozenKeys = new HashSet<>();
            keys.stream().filter(k -> masterOf(c, queue, k).equals(frozen)).forEach(frozenKeys::add);
            assertThat(frozenKeys).as("keys on the master to freeze").isNotEmpty().hasSizeLessThan(keys.size());
            List<String> liveKeys = keys.stream().filter(k -> !frozenKeys.contains(k)).toList();
            WorkerTestSupport.submit(queue, keys, 2);
            List<String> fresh = new ArrayList<>(); // keys submitted while the master is frozen, on the others
            for (int i = 0; fresh.size() < 10; i++) {
                if (!masterOf(c, queue, "fresh" + i).equals(frozen)) {
                    fresh.add("fresh" + i);
                }
            }

            // Job 1 of every key waits for the latch: the worker holds all 60 keys when the master freezes.
            CountDownLatch release = new CountDownLatch(1);
            Map<String, List<Long>> ran = new ConcurrentHashMap<>();
            JobHandler handler = (job, context) -> {
                ran.computeIfAbsent(job.key(), k -> new CopyOnWriteArrayList<>()).add(WorkerTestSupport.seqOf(job));
                if (WorkerTestSupport.seqOf(job) == 1 && !release.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("never released");
                }
            };
            WorkerSettings settings = WorkerSettings.builder(impatient, SPREAD).concurrency(200).leaseTime(LEASE)
                    .renewInterval(Duration.ofMillis(500)).idleWait(Duration.ofMillis(200))
                    .backoff(Backoff.fixed(Duration.ofMillis(20))).shutdownTimeout(Duration.ofSeconds(2)).build();
            Worker worker = Worker.start(settings, handler, new MetricRegistry());
            try {
                await().atMost(Duration.ofSeconds(20)).until(() -> ran.size() == keys.size());
                c.withoutFailover(frozen, () -> {
                    frozen.pause();
                    long latest = liveKeys.stream().mapToLong(k -> queue.inspect(k, 1).scoreMs()).max().orElseThrow();
                    RedisServer live = c.masterOfKey(tagOf(queue, liveKeys.getFirst()));
                    await().atMost(LEASE.multipliedBy(3)).until(() -> redisTimeMs(live) > latest + 200);
                    for (String k : liveKeys) {
                        assertThat(queue.inspect(k, 1)).as("key %s, past the lease it had when the master froze", k)
                                .satisfies(i -> {
                                    assertThat(i.state()).isEqualTo(KeyState.LEASED);
                                    assertThat(i.scoreMs()).as("renewed lease deadline").isGreaterThan(latest);
                                });
                    }

                    fresh.forEach(k -> queue.enqueue(EnqueueRequest.of(k, (k + ":1").getBytes(UTF_8))));
                    release.countDown();
                    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                        for (String k : liveKeys) {
                            assertThat(ran.get(k)).as("jobs run of %s", k).containsExactly(1L, 2L);
                            assertThat(queue.inspect(k, 1).pending()).as("pending jobs of %s", k).isZero();
                        }
                        for (String k : fresh) {
                            assertThat(ran.get(k)).as("jobs run of new key %s", k).containsExactly(1L);
                            assertThat(queue.inspect(k, 1).pending()).as("pending jobs of %s", k).isZero();
                        }
                    });
                    for (String k : frozenKeys) {
                        assertThat(ran.get(k)).as("jobs run of %s, on the frozen master", k).containsExactly(1L);
                    }
                });
            } finally {
                worker.close();
            }
        }
    }

    private static RedisServer masterOf(RedisCluster c, KeyedQueue queue, String key) {
        return c.masterOfKey(tagOf(queue, key));
    }

    /** The key prefix of the key's partition (its hash tag), whose slot says which master holds it. */
    private static String tagOf(KeyedQueue queue, String key) {
        return queue.keys().partitionOf(key).prefix();
    }

    private static long redisTimeMs(RedisServer server) {
        List<String> time = server.call(Jedis::time);
        return Long.parseLong(time.get(0)) * 1000 + Long.parseLong(time.get(1)) / 1000;
    }
}
