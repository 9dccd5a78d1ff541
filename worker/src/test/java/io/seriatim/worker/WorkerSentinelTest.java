package io.seriatim.worker;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;

import io.seriatim.core.queue.EnqueueRequest;
import io.seriatim.core.queue.KeyedQueue;
import io.seriatim.core.redis.RedisConnector;
import io.seriatim.core.redis.RedisSettings;
import io.seriatim.core.settings.NamespaceSettings;
import io.seriatim.localredis.RedisSentinelGroup;
import io.seriatim.testkit.DeploymentExtension;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.UnifiedJedis;

/** A worker through Sentinel (a master, its replica, three Sentinels). */
class WorkerSentinelTest {
    @RegisterExtension
    static final DeploymentExtension<RedisSentinelGroup> sentinels = DeploymentExtension.sentinel();

    /**
     * A frozen master keeps its connections open: the claimer's doorbell wait on it must end in an
     * error (1 s plus the socket timeout), not block until the master wakes, if ever.
     */
    @Test
    void aWorkerWhoseMasterFreezesPicksUpFromThePromotedReplica() {
        NamespaceSettings ns = NamespaceSettings.builder("frozen").partitions(2).build();
        RedisSettings redisSettings = RedisSettings.builder(sentinels.uri()).socketTimeout(Duration.ofSeconds(1)).build();
        Set<String> ran = ConcurrentHashMap.newKeySet();
        WorkerSettings settings = WorkerSettings.builder(redisSettings, ns).idleWait(Duration.ofSeconds(30))
                .leaseTime(Duration.ofSeconds(5)).shutdownTimeout(Duration.ofSeconds(5)).build();
        try (UnifiedJedis redis = RedisConnector.connect(RedisSettings.of(sentinels.uri()))) {
            KeyedQueue queue = KeyedQueue.open(redis, ns);
            Worker worker = Worker.start(settings, (job, context) -> ran.add(job.key()));
            try {
                queue.enqueue(EnqueueRequest.of("before", "job".getBytes(UTF_8)));
                await().atMost(Duration.ofSeconds(5)).until(() -> ran.contains("before"));

                sentinels.deployment().master().pause();
                sentinels.deployment().awaitHealthy(); // the Sentinels promoted the replica; the old master stays frozen
                await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                        .until(() -> queue.enqueue(EnqueueRequest.of("after", "job".getBytes(UTF_8))) != null);
                await().atMost(Duration.ofSeconds(15)).until(() -> ran.contains("after"));
            } finally {
                worker.close();
            }
        }
    }
}
