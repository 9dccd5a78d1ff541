package io.seriatim.core.queue;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seriatim.core.redis.RedisConnector;
import io.seriatim.core.redis.RedisSettings;
import io.seriatim.core.redis.RedisUnavailableException;
import io.seriatim.core.script.ScriptStatus;
import io.seriatim.core.settings.NamespaceSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

/** Scripts vanish when Redis restarts; callers must not notice, and a dead Redis says so clearly. */
class RedisRestartTest extends QueueTestSupport {

    @Test
    void everyOperationWorksAfterARestartThatDroppedTheScripts() {
        open(NamespaceSettings.builder("r").maxAttempts(2));
        long[] ids = enqueue("a", 3);
        redis.server().restart();
        try (RedisClient fresh = RedisClient.create(redis.server().host(), redis.server().port())) {
            assertThat(fresh.scriptExists(List.of(io.seriatim.core.script.Script.CLAIM.sha()))).containsExactly(false);
            KeyedQueue q = KeyedQueue.open(fresh, queue.settings());
            assertThat(q.enqueue(EnqueueRequest.of("b", "x".getBytes(UTF_8))).duplicate()).isFalse();
            Claim claim = q.claim(0, "w", 10, LONG_LEASE, 2);
            assertThat(claim.keys()).hasSize(2);
            ClaimedKey a = claim.keys().stream().filter(k -> k.lease().key().equals("a")).findFirst().orElseThrow();
            assertThat(ids(a.jobs())).containsExactly(ids[0], ids[1]);
            assertThat(q.ack(a.lease(), ids(ids[0]), LONG_LEASE, 1, 1).status()).isEqualTo(ScriptStatus.CONTINUE);
            assertThat(q.renew(List.of(a.lease()), LONG_LEASE)).hasSize(1);
            assertThat(q.fail(a.lease(), ids[1], "e", true, Duration.ZERO).status()).isEqualTo(ScriptStatus.RETRY);
            assertThat(q.sweep(0, 10).swept()).isZero();
            InvariantChecker.check(fresh, q.keys(), "after restart");
        }
    }

    @Test
    void pipelinedEnqueuesKeepOrderWhenTheScriptCacheWasFlushed() {
        open();
        enqueue("warm", 1);
        redis.client().scriptFlush();
        List<EnqueueRequest> requests = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            requests.add(EnqueueRequest.of("k", ("" + i).getBytes(UTF_8)));
        }
        List<EnqueueResult> results = queue.enqueueAll(requests);
        List<Long> expected = results.stream().map(r -> r.jobId(0)).toList();
        assertThat(queue.check("after flush").queues().get("k")).isEqualTo(expected);
        assertThat(expected).isSorted();
    }

    @Test
    void deadRedisGivesAClearUnavailableError() {
        open();
        RedisSettings settings = RedisSettings.builder(redis.server().uri())
                .connectTimeout(Duration.ofMillis(300)).socketTimeout(Duration.ofMillis(300)).build();
        try (UnifiedJedis client = RedisConnector.connect(settings)) {
            KeyedQueue q = KeyedQueue.open(client, queue.settings());
            redis.server().kill();
            assertThatThrownBy(() -> q.enqueue(EnqueueRequest.of("k", new byte[1])))
                    .isInstanceOf(RedisUnavailableException.class)
                    .hasMessageStartingWith("Redis unavailable while running enqueue.lua");
            assertThatThrownBy(() -> q.counts()).isInstanceOf(RedisUnavailableException.class);
        }
        queue = null; // the server is down: nothing to check
    }

    @Test
    void redisSettingsRefuseBadAddresses() {
        assertThatThrownBy(() -> RedisSettings.of("localhost:6379"))
                .hasMessage("redis address 'localhost:6379' must start with redis://, rediss://, redis-sentinel:// "
                        + "or redis-cluster://");
        assertThatThrownBy(() -> RedisSettings.of("redis://host"))
                .hasMessage("redis address 'redis://host' needs a host and a port, e.g. redis://127.0.0.1:6379");
        assertThatThrownBy(() -> RedisSettings.of("redis-sentinel://h:1"))
                .hasMessageContaining("needs the master name");
        assertThatThrownBy(() -> RedisSettings.builder("redis://h:1").poolSize(0))
                .hasMessage("redis poolSize must be in [1, 10000], got 0");
    }
}
