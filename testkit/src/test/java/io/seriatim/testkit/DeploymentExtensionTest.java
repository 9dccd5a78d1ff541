package io.seriatim.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.seriatim.localredis.RedisCluster;
import io.seriatim.localredis.RedisServer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClusterClient;

@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeploymentExtensionTest {
    @RegisterExtension
    static final DeploymentExtension<RedisCluster> cluster = DeploymentExtension.cluster();

    @Test
    @Order(1)
    void aTestThatKillsAMasterAndPausesAReplicaAndLeavesData(RedisCluster c) {
        try (RedisClusterClient client = RedisClusterClient.create(new HostAndPort("127.0.0.1", c.nodes().get(0).port()))) {
            client.set("left", "behind");
        }
        c.masterOfKey("left").kill();
        c.nodes().stream().filter(n -> n.isRunning() && !c.masters().contains(n)).findFirst().orElseThrow().pause();
    }

    @Test
    @Order(2)
    void theNextTestGetsAWholeEmptyCluster(RedisCluster c) {
        assertThat(c.nodes()).allMatch(RedisServer::isRunning).noneMatch(RedisServer::isPaused);
        assertThat(c.masters()).hasSize(3);
        long keys = c.masterOfKey("left").call(Jedis::dbSize);
        assertThat(keys).as("flushed on whichever node is master now").isZero();
    }
}
