package io.seriatim.localredis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClusterClient;

/** One cluster for the class: forming one takes a few seconds. The tests run in order and share it. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisClusterTest {
    private static RedisCluster cluster;

    @BeforeAll
    static void start() {
        cluster = RedisCluster.start();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    @Order(1)
    void threeMastersServeAllSlotsEachWithAReplica() {
        List<RedisServer> masters = cluster.masters();
        assertThat(masters).containsExactlyElementsOf(cluster.nodes().subList(0, 3));
        for (RedisServer master : masters) {
            assertThat(cluster.replicaOf(master)).isPresent().get().isNotIn(masters);
        }
        assertThat(cluster.masterOfSlot(0)).isSameAs(masters.get(0));
        assertThat(cluster.masterOfSlot(RedisCluster.SLOTS - 1)).isSameAs(masters.get(2));
    }

    @Test
    @Order(2)
    void aClusterClientWritesThroughTheSeedAddress() {
        HostAndPort seed = new HostAndPort("127.0.0.1", cluster.nodes().get(4).port());
        try (RedisClusterClient client = RedisClusterClient.create(seed)) {
            for (int i = 0; i < 30; i++) {
                client.set("k" + i, "v" + i);
            }
            assertThat(client.get("k29")).isEqualTo("v29");
        }
    }

    @Test
    @Order(3)
    void aKilledMasterIsReplacedByItsReplicaAndRejoinsAsReplicaWhenRestarted() {
        RedisServer master = cluster.masterOfKey("k1");
        RedisServer replica = cluster.replicaOf(master).orElseThrow();
        master.kill();
        // No FAILOVER command: the replica takes over by itself after cluster-node-timeout.
        cluster.awaitHealthy();
        assertThat(cluster.masterOfKey("k1")).isSameAs(replica);
        master.restart();
        cluster.awaitHealthy();
        assertThat(cluster.replicaOf(replica)).contains(master);
    }

    @Test
    @Order(4)
    void aForcedFailoverSwapsMasterAndReplica() {
        RedisServer master = cluster.masterOfSlot(0);
        RedisServer replica = cluster.replicaOf(master).orElseThrow();
        cluster.failover(replica);
        assertThat(cluster.masterOfSlot(0)).isSameAs(replica);
    }

    @Test
    @Order(5)
    void healBringsBackPausedAndKilledNodes() {
        cluster.nodes().get(1).pause();
        cluster.nodes().get(5).kill();
        cluster.heal();
        assertThat(cluster.nodes()).allMatch(RedisServer::isRunning).noneMatch(RedisServer::isPaused);
        assertThat(cluster.masters()).hasSize(3);
    }

    @Test
    @Order(6)
    void aSlotMovesWithItsKeysToAnotherMaster() {
        HostAndPort seed = new HostAndPort("127.0.0.1", cluster.nodes().getFirst().port());
        try (RedisClusterClient client = RedisClusterClient.create(seed)) {
            for (int i = 0; i < 250; i++) {
                client.rpush("{moving}:list", "v" + i);
            }
            int slot = redis.clients.jedis.util.JedisClusterCRC16.getSlot("{moving}");
            RedisServer from = cluster.masterOfSlot(slot);
            RedisServer to = cluster.masters().stream().filter(m -> m != from).findFirst().orElseThrow();
            cluster.migrateSlot(slot, to);
            assertThat(cluster.masterOfSlot(slot)).isSameAs(to);
            assertThat(client.llen("{moving}:list")).isEqualTo(250);
            assertThat(client.lindex("{moving}:list", 249)).isEqualTo("v249");
        }
        cluster.awaitHealthy();
    }
}
