package io.seriatim.core.queue;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.seriatim.core.redis.RedisConnector;
import io.seriatim.core.redis.RedisSettings;
import io.seriatim.core.redis.RedisUnavailableException;
import io.seriatim.core.script.Script;
import io.seriatim.core.settings.NamespaceSettings;
import io.seriatim.localredis.RedisCluster;
import io.seriatim.localredis.RedisServer;
import io.seriatim.testkit.DeploymentExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.UnifiedJedis;

/**
 * KeyedQueue on a real local Redis Cluster (3 masters, 3 replicas), one namespace spread over
 * every master: scripts must reach every node, including nodes that lost their script cache and
 * replicas promoted after a kill -9 (issue 15, part 1).
 */
class ClusterQueueTest {
    @RegisterExtension
    static final DeploymentExtension<RedisCluster> cluster = DeploymentExtension.cluster();

    /** 12 partitions: with this name their hash tags fall on all three masters (checked below). */
    private static final NamespaceSettings SPREAD = NamespaceSettings.builder("spread").partitions(12).build();

    private UnifiedJedis redis;
    private KeyedQueue queue;

    @BeforeEach
    void connect() {
        redis = RedisConnector.connect(RedisSettings.of(cluster.uri()));
        queue = KeyedQueue.open(redis, SPREAD);
        Set<RedisServer> holders = new HashSet<>();
        QueueRoundTrip.hashTags(queue).forEach(tag -> holders.add(cluster.deployment().masterOfKey(tag)));
        assertThat(holders).as("the namespace's partitions are on every master").hasSize(3);
    }

    @AfterEach
    void close() {
        redis.close();
    }

    @Test
    void enqueueClaimRenewAckWorkOnAFreshCluster() {
        QueueRoundTrip.run(queue, "fresh-", 60);
    }

    @Test
    void theyStillWorkAfterEveryNodeLostItsScripts() {
        QueueRoundTrip.run(queue, "before-", 30);
        cluster.deployment().scriptFlush();
        QueueRoundTrip.run(queue, "after-", 30);
    }

    /** Were the whole pipeline sent again, the calls that ran on the other masters would enqueue twice. */
    @Test
    void aPipelineResendsOnlyTheCallsOfTheNodeWithoutTheScript() {
        QueueRoundTrip.run(queue, "warm-", 30);
        RedisServer flushed = cluster.deployment().masters().get(1);
        flushed.call(Jedis::scriptFlush);
        List<EnqueueRequest> batch = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            batch.add(EnqueueRequest.of("k" + i, ("job-" + i).getBytes(UTF_8)));
        }
        queue.enqueueAll(batch);
        long pending = 0;
        for (int p = 0; p < queue.partitionCount(); p++) {
            for (ClaimedKey c : queue.claim(p, "w", 1_000, Duration.ofMinutes(1), 10).keys()) {
                assertThat(c.jobs()).extracting(j -> new String(j.payload(), UTF_8))
                        .containsExactly("job-" + c.lease().key().substring(1));
                pending += c.jobs().size();
            }
        }
        assertThat(pending).isEqualTo(60);
        List<Boolean> loaded = flushed.call(j -> j.scriptExists(Script.ENQUEUE_MANY.sha(), Script.ENQUEUE_MANY.flaggedSha()));
        assertThat(loaded).as("loaded again on the flushed node").contains(true);
    }

    @Test
    void theyStillWorkAfterAMasterIsKilledAndItsReplicaPromoted() {
        QueueRoundTrip.run(queue, "before-", 30);
        RedisCluster c = cluster.deployment();
        RedisServer master = c.masterOfKey(QueueRoundTrip.hashTags(queue).getFirst());
        RedisServer replica = c.replicaOf(master).orElseThrow();
        master.kill();
        c.failover(replica);
        QueueRoundTrip.run(queue, "after-", 30);
    }

    /**
     * A renewal, one pipeline over every master, as the first call after a failover: the client
     * still routes the dead master's slots to it. At worst that one call fails as unavailable
     * (and has the client reread the slot map); the next renews every lease, on the promoted
     * replica too, which never had the script.
     */
    @Test
    void aRenewalRightAfterAFailoverWorksAtTheLatestOnItsSecondTry() {
        List<Lease> leases = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            queue.enqueue(EnqueueRequest.of("k" + i, "job".getBytes(UTF_8)));
        }
        for (int p = 0; p < queue.partitionCount(); p++) {
            queue.claim(p, "w", 1_000, Duration.ofMinutes(1), 10).keys().forEach(c -> leases.add(c.lease()));
        }
        RedisCluster c = cluster.deployment();
        RedisServer master = c.masterOfKey(QueueRoundTrip.hashTags(queue).getFirst());
        RedisServer replica = c.replicaOf(master).orElseThrow();
        await().atMost(Duration.ofSeconds(10)).until(() -> replicated(master, replica));
        master.kill();
        c.failover(replica);
        List<Lease> renewed;
        try {
            renewed = queue.renew(leases, Duration.ofMinutes(1));
        } catch (RedisUnavailableException firstTry) {
            renewed = queue.renew(leases, Duration.ofMinutes(1));
        }
        assertThat(renewed).hasSize(leases.size());
    }

    /** Whether the replica has every write of its master (their replication offsets are equal). */
    private static boolean replicated(RedisServer master, RedisServer replica) {
        long written = offset(master.call(j -> j.info("replication")), "master_repl_offset:");
        return written > 0 && offset(replica.call(j -> j.info("replication")), "slave_repl_offset:") == written;
    }

    private static long offset(String info, String field) {
        return info.lines().filter(l -> l.startsWith(field)).map(l -> Long.parseLong(l.substring(field.length()).strip()))
                .findFirst().orElse(-1L);
    }
}
