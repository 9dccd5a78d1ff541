package io.seriatim.core.queue;

import io.seriatim.core.redis.RedisConnector;
import io.seriatim.core.redis.RedisSettings;
import io.seriatim.core.settings.NamespaceSettings;
import io.seriatim.localredis.RedisServer;
import io.seriatim.localredis.RedisSentinelGroup;
import io.seriatim.testkit.DeploymentExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.UnifiedJedis;

/** KeyedQueue through Sentinel (a master, its replica, three Sentinels), before and after a failover. */
class SentinelQueueTest {
    @RegisterExtension
    static final DeploymentExtension<RedisSentinelGroup> sentinels = DeploymentExtension.sentinel();

    @Test
    void enqueueClaimRenewAckWorkBeforeAndAfterTheMasterIsKilled() {
        try (UnifiedJedis redis = RedisConnector.connect(RedisSettings.of(sentinels.uri()))) {
            KeyedQueue queue = KeyedQueue.open(redis, NamespaceSettings.builder("watched").partitions(2).build());
            QueueRoundTrip.run(queue, "before-", 20);
            RedisServer master = sentinels.deployment().master();
            master.kill();
            sentinels.deployment().awaitHealthy(); // the Sentinels promoted the replica; the old master stays down
            QueueRoundTrip.run(queue, "after-", 20);
        }
    }
}
