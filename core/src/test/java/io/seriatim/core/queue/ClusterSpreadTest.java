package io.seriatim.core.queue;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.seriatim.core.keys.KeyLayout;
import io.seriatim.core.keys.NamespaceKeys;
import io.seriatim.core.keys.PartitionKeys;
import io.seriatim.core.redis.RedisConnector;
import io.seriatim.core.redis.RedisSettings;
import io.seriatim.core.settings.NamespaceSettings;
import io.seriatim.core.settings.StatedSettings;
import io.seriatim.localredis.RedisCluster;
import io.seriatim.localredis.RedisServer;
import io.seriatim.testkit.DeploymentExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * Issue 15, part 5, on a real local Redis Cluster (3 masters, 3 replicas): a namespace created
 * without a partition count gets 4 per master, spread 4/4/4; a namespace an earlier version
 * created keeps its plain {@code {ns:p}} tags, its jobs and a warning; the per-master view adds
 * up.
 */
class ClusterSpreadTest {
    @RegisterExtension
    static final DeploymentExtension<RedisCluster> cluster = DeploymentExtension.cluster();

    private static final Duration LEASE = Duration.ofMinutes(1);

    private UnifiedJedis redis;

    @BeforeEach
    void connect() {
        redis = RedisConnector.connect(RedisSettings.of(cluster.uri()));
    }

    @AfterEach
    void close() {
        redis.close();
    }

    @Test
    void aNamespaceCreatedWithoutAPartitionCountGetsFourPerMasterSpreadEvenly() {
        KeyedQueue queue = KeyedQueue.open(redis, StatedSettings.adopt("comments"));
        assertThat(queue.partitionCount()).isEqualTo(NamespaceSettings.clusterDefaultPartitions(3)).isEqualTo(12);
        assertThat(queue.keys().layout()).isEqualTo(KeyLayout.SPREAD);

        Map<Integer, Integer> perMaster = new HashMap<>();
        for (String tag : QueueRoundTrip.hashTags(queue)) {
            perMaster.merge(cluster.deployment().masterOfKey(tag).port(), 1, Integer::sum);
        }
        assertThat(perMaster.values()).as("partitions per master, as the cluster itself routes them")
                .containsExactly(4, 4, 4);

        MasterSpread spread = queue.spread().orElseThrow();
        assertThat(spread.shares()).extracting(s -> s.partitions().size()).containsExactly(4, 4, 4);
        assertThat(spread.even()).isTrue();
        assertThat(spread.warning()).isEmpty();
        QueueRoundTrip.run(queue, "k", 60);
    }

    @Test
    void anExplicitPartitionCountIsKeptAndSpreadToo() {
        KeyedQueue queue = KeyedQueue.open(redis, NamespaceSettings.builder("orders").partitions(6).build());
        assertThat(queue.partitionCount()).isEqualTo(6);
        assertThat(queue.spread().orElseThrow().shares()).extracting(s -> s.partitions().size())
                .containsExactly(2, 2, 2);
    }

    /**
     * An earlier version's namespace: its settings hash without {@code layout}, its jobs under
     * {@code {ns:p}}. Opened by this version it reads, drains and keeps its tags, with a warning,
     * since "comments" at 12 plain partitions puts 3, 5 and 4 on the three masters.
     */
    @Test
    void aNamespaceOfAnEarlierVersionKeepsItsPlainTagsAndDrainsItsJobs() {
        redis.hset("seriatim:namespaces", "comments", "12");
        Map<String, String> old = new LinkedHashMap<>();
        old.put("partitions", "12");
        old.put("maxKeyBytes", "1024");
        old.put("maxPayloadBytes", "1048576");
        old.put("maxHeaders", "64");
        old.put("maxAttempts", "5");
        old.put("failurePolicy", "SKIP");
        old.put("fairnessJobs", "1000");
        old.put("fairnessTimeMs", "1000");
        old.put("dedupWindowMs", "600000");
        old.put("createdAtMs", "1764547200000");
        old.put("updatedAtMs", "1764547200000");
        redis.hset("{seriatim:namespaces}:settings:comments", old);

        KeyedQueue before = KeyedQueue.openExisting(redis, "comments");
        assertThat(before.keys().layout()).isEqualTo(KeyLayout.PLAIN);
        Map<String, List<String>> sent = new LinkedHashMap<>();
        List<EnqueueRequest> batch = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String key = "k" + i;
            sent.put(key, List.of(key + "/0", key + "/1"));
            batch.add(EnqueueRequest.of(key, bytes(key + "/0"), bytes(key + "/1")));
        }
        before.enqueueAll(batch);
        for (String key : sent.keySet()) {
            assertThat(redis.llen("{comments:" + before.partitionOf(key) + "}:q:" + key))
                    .as("%s's list under the earlier version's name", key).isEqualTo(2);
        }

        // A process of this version, started later: it stated nothing and must find those jobs.
        KeyedQueue after = KeyedQueue.open(redis, StatedSettings.adopt("comments"));
        assertThat(after.keys().layout()).isEqualTo(KeyLayout.PLAIN);
        assertThat(redis.hgetAll("{seriatim:namespaces}:settings:comments")).isEqualTo(old);
        assertThat(after.counts().pendingJobs()).isEqualTo(80);
        Map<String, List<String>> ran = new LinkedHashMap<>();
        for (int p = 0; p < after.partitionCount(); p++) {
            for (ClaimedKey c : after.claim(p, "w", 1_000, LEASE, 10).keys()) {
                ran.put(c.lease().key(), c.jobs().stream().map(j -> new String(j.payload(), UTF_8)).toList());
                assertThat(after.ack(c.lease(), c.jobs().stream().map(Job::id).toList(), LEASE, 10, 0).stillHeld())
                        .isFalse();
            }
        }
        assertThat(ran).isEqualTo(sent);
        assertThat(after.counts().pendingJobs()).isZero();

        MasterSpread spread = after.spread().orElseThrow();
        assertThat(spread.shares()).extracting(s -> s.partitions().size()).containsExactly(3, 5, 4);
        assertThat(spread.warning()).hasValueSatisfying(w -> assertThat(w)
                .startsWith("namespace 'comments': its 12 partitions fall unevenly over the cluster's 3 masters (")
                .contains("the busiest holds 42%").contains("plain {ns:p} tags"));
    }

    @Test
    void aLongRunningProcessWarnsOnceAboutAnUnevenSpread() {
        KeyedQueue.open(redis, NamespaceSettings.builder("single").partitions(1).build());
        Logger logger = (Logger) LoggerFactory.getLogger(LiveQueue.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        try {
            LiveQueue.openExisting(redis, StatedSettings.adopt("single"));
            LiveQueue.open(redis, StatedSettings.adopt("comments")); // 12 spread partitions: nothing to say
        } finally {
            logger.detachAppender(logged);
        }
        assertThat(logged.list).filteredOn(e -> e.getLevel() == Level.WARN).extracting(ILoggingEvent::getFormattedMessage)
                .singleElement().asString()
                .startsWith("namespace 'single': only 1 partition for the cluster's 3 masters, so some hold none of its keys");
    }

    @Test
    void eachMastersLoadIsTheSumOfThePartitionsItHolds() {
        KeyedQueue queue = KeyedQueue.open(redis, StatedSettings.adopt("comments"));
        for (int i = 0; i < 50; i++) {
            queue.enqueue(EnqueueRequest.of("k" + i, bytes("a"), bytes("b")));
        }
        queue.claim(0, "w", 1_000, LEASE, 10);
        queue.claim(5, "w", 1_000, LEASE, 10);
        queue.park("k7", "by hand");

        List<PartitionCounts> counts = queue.partitionCounts();
        MasterSpread spread = queue.spread().orElseThrow();
        List<MasterSpread.Load> load = spread.load(counts);
        assertThat(load).hasSize(3);
        NamespaceKeys keys = queue.keys();
        for (MasterSpread.Load l : load) {
            RedisServer master = cluster.deployment().masters().stream()
                    .filter(m -> l.address().equals(m.host() + ":" + m.port())).findFirst().orElseThrow();
            long pending = 0;
            long ready = 0;
            long leased = 0;
            long parked = 0;
            int partitions = 0;
            for (PartitionKeys p : keys.partitions()) {
                if (cluster.deployment().masterOfKey(p.prefix()) == master) {
                    partitions++;
                    String stat = master.call(j -> j.hget(p.prefix() + "stats", "pending"));
                    pending += stat == null ? 0 : Long.parseLong(stat);
                    ready += master.call(j -> j.zcard(p.prefix() + "ready"));
                    leased += master.call(j -> j.zcard(p.prefix() + "leases"));
                    parked += master.call(j -> j.hlen(p.prefix() + "parked"));
                }
            }
            assertThat(l).isEqualTo(new MasterSpread.Load(l.address(), partitions, ready, leased, parked, pending));
        }
        QueueCounts total = queue.counts();
        assertThat(load.stream().mapToLong(MasterSpread.Load::pendingJobs).sum()).isEqualTo(total.pendingJobs())
                .isEqualTo(100);
        assertThat(load.stream().mapToLong(MasterSpread.Load::leasedKeys).sum()).isEqualTo(total.leasedKeys())
                .isPositive();
        assertThat(load.stream().mapToLong(MasterSpread.Load::parkedKeys).sum()).isEqualTo(1);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }
}
