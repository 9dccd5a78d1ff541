package io.seriatim.core.queue;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seriatim.core.keys.PartitionKeys;
import io.seriatim.core.redis.RedisConnector;
import io.seriatim.core.redis.RedisSettings;
import io.seriatim.core.redis.RedisUnavailableException;
import io.seriatim.core.settings.NamespaceSettings;
import io.seriatim.localredis.RedisCluster;
import io.seriatim.localredis.RedisServer;
import io.seriatim.testkit.DeploymentExtension;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * A partition's slot moving between masters while it is used (issue 15, part 6). Redis Cluster
 * moves a slot's keys one at a time; a script that writes a key it did not declare (a queue list)
 * could start a second copy of it on the new node before the key arrives, which MIGRATE then
 * replaces, losing its jobs. Scripts check their undeclared keys first (guard_slot in common.lua), so such
 * a call fails as "unavailable" having written nothing, and succeeds once the slot has moved.
 */
class ReshardQueueTest {
    @RegisterExtension
    static final DeploymentExtension<RedisCluster> cluster = DeploymentExtension.cluster();

    private static final Duration LEASE = Duration.ofMinutes(1);

    private UnifiedJedis redis;
    private KeyedQueue queue;

    @BeforeEach
    void connect() {
        redis = RedisConnector.connect(RedisSettings.of(cluster.uri()));
        queue = KeyedQueue.open(redis, NamespaceSettings.builder("moving").build());
    }

    @AfterEach
    void close() {
        redis.close();
    }

    /**
     * The dangerous moment: every key of the partition has moved but one key's list. The old node
     * sends the call on (ASK), and on the new node a command on a key that has not arrived finds
     * nothing: unchecked, RPUSH would start a new list there, which the list's MIGRATE then
     * replaces, and the acknowledged job would be gone.
     */
    @Test
    void anEnqueueWhileItsKeysListHasNotMovedYetWritesNothingAndSucceedsOnceTheSlotHasMoved() {
        queue.enqueue(EnqueueRequest.of("a", bytes("a/1")));
        PartitionKeys p = queue.keys().partition(0);
        int slot = JedisClusterCRC16.getSlot(p.prefix());
        RedisCluster c = cluster.deployment();
        RedisServer source = c.masterOfSlot(slot);
        RedisServer target = c.masters().stream().filter(m -> m != source).findFirst().orElseThrow();
        byte[] list = (p.prefix() + "q:a").getBytes(UTF_8);

        c.beginMigration(slot, target);
        List<byte[]> others = source.call(j -> j.clusterGetKeysInSlotBinary(slot, 1000)).stream()
                .filter(k -> !Arrays.equals(k, list)).toList();
        c.migrateKeys(slot, target, others);
        assertThatThrownBy(() -> queue.enqueue(EnqueueRequest.of("a", bytes("a/2"))))
                .isInstanceOf(RedisUnavailableException.class);
        boolean startedThere = target.call(j -> {
            j.asking();
            return j.exists(list);
        });
        assertThat(startedThere).as("no second list started on the new node").isFalse();
        c.migrateSlot(slot, target); // the list, then the new owner

        queue.enqueue(EnqueueRequest.of("a", bytes("a/2")));
        List<ClaimedKey> claimed = queue.claim(0, "w", 10, LEASE, 10).keys();
        assertThat(claimed).hasSize(1);
        assertThat(claimed.getFirst().jobs()).extracting(j -> new String(j.payload(), UTF_8))
                .containsExactly("a/1", "a/2");
    }

    @Test
    void aPartitionKeepsEveryJobInOrderAcrossMovesOfItsSlotBackAndForth() {
        RedisCluster c = cluster.deployment();
        int slot = JedisClusterCRC16.getSlot(queue.keys().partition(0).prefix());
        for (int round = 0; round < 3; round++) {
            QueueRoundTrip.run(queue, "r" + round + "-", 40);
            RedisServer from = c.masterOfSlot(slot);
            c.migrateSlot(slot, c.masters().stream().filter(m -> m != from).findFirst().orElseThrow());
        }
        QueueRoundTrip.run(queue, "after-", 40);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }
}
