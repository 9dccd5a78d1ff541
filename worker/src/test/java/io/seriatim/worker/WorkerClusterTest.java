package io.seriatim.worker;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.seriatim.core.queue.EnqueueRequest;
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
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.UnifiedJedis;

/**
 * A worker on a real local Redis Cluster (3 masters, 3 replicas), its namespace's partitions on
 * every master: an idle worker is woken by each partition's bell, costs next to nothing while
 * idle, and still hears a partition's bell after its master fails over (issue 15, part 4).
 *
 * <p>The workers wait 30 s between full rounds of claims, so a job picked up sooner was rung for.
 */
class WorkerClusterTest {
    @RegisterExtension
    static final DeploymentExtension<RedisCluster> cluster = DeploymentExtension.cluster();

    /** 12 partitions, 4 on each master (spread tags; checked below). */
    private static final NamespaceSettings SPREAD = NamespaceSettings.builder("spread").partitions(12).build();
    private static final Duration LONG_IDLE_WAIT = Duration.ofSeconds(30);

    private final List<Worker> workers = new ArrayList<>();
    /** Key to the System.nanoTime() its job started at. */
    private final Map<String, Long> started = new ConcurrentHashMap<>();
    private UnifiedJedis redis;
    private KeyedQueue queue;

    @BeforeEach
    void connect() {
        redis = RedisConnector.connect(RedisSettings.of(cluster.uri()));
        queue = KeyedQueue.open(redis, SPREAD);
        Set<RedisServer> holders = new HashSet<>();
        IntStream.range(0, SPREAD.partitions()).forEach(p -> holders.add(masterOfPartition(p)));
        assertThat(holders).as("the namespace's partitions are on every master").hasSize(3);
    }

    @AfterEach
    void close() {
        workers.forEach(Worker::close);
        redis.close();
    }

    @Test
    void anIdleWorkerIsWokenByTheBellOfEveryPartition() throws Exception {
        startWorker(LONG_IDLE_WAIT);
        Thread.sleep(500); // every watcher blocked in its BLPOP, the claimer in its 30 s wait
        List<Long> pickupMs = new ArrayList<>();
        for (int p = 0; p < SPREAD.partitions(); p++) {
            String key = keyOfPartition(p, "quiet-");
            long sent = System.nanoTime();
            queue.enqueue(EnqueueRequest.of(key, "job".getBytes(UTF_8)));
            await().atMost(Duration.ofSeconds(5)).until(() -> started.containsKey(key));
            pickupMs.add((started.get(key) - sent) / 1_000_000);
            Thread.sleep(100); // quiet again: the claimer back in its wait
        }
        List<Long> sorted = pickupMs.stream().sorted().toList();
        System.out.println("cluster pickup after a quiet period, ms per partition: " + pickupMs);
        assertThat(sorted.get(sorted.size() / 2)).as("median pickup (ms); polling every 50 ms gave ~25")
                .isLessThan(25);
    }

    @Test
    void anIdleWorkerSendsAlmostNoCommands() throws Exception {
        startWorker(LONG_IDLE_WAIT); // what the doorbell costs: no full round of claims falls in the 2 s
        Thread.sleep(1_500); // past start-up: connections made, the first round claimed
        List<RedisServer> masters = cluster.deployment().masters();
        Map<String, Long> before = commandsProcessed(masters);
        Thread.sleep(2_000);
        Map<String, Long> after = commandsProcessed(masters);
        after.replaceAll((command, calls) -> calls - before.getOrDefault(command, 0L));
        after.values().removeIf(calls -> calls == 0);
        long commands = after.values().stream().mapToLong(Long::longValue).sum();
        System.out.println("an idle worker on 12 partitions over 3 masters, 2 s: " + commands + " commands " + after);
        // At most one BLPOP per watcher and WAIT (5 s): 12. Polling every 50 ms made about 2,400
        // (a claim counts 5: the script and the commands it runs).
        assertThat(commands).isLessThan(30);
    }

    @Test
    void aWatcherFollowsItsBellToTheNewMasterAfterAFailover() throws Exception {
        pickupSurvives(master -> cluster.deployment().failover(cluster.deployment().replicaOf(master).orElseThrow()));
    }

    @Test
    void aWatcherFollowsItsBellToTheNewMasterAfterItsMasterIsKilled() throws Exception {
        pickupSurvives(master -> {
            RedisServer replica = cluster.deployment().replicaOf(master).orElseThrow();
            master.kill();
            cluster.deployment().failover(replica);
        });
    }

    /** A frozen master keeps its connections open: the watcher's BLPOP must time out, not hang. */
    @Test
    void aWatcherFollowsItsBellToTheNewMasterAfterItsMasterFreezes() throws Exception {
        pickupSurvives(master -> {
            RedisServer replica = cluster.deployment().replicaOf(master).orElseThrow();
            master.pause();
            cluster.deployment().failover(replica);
        });
    }

    @Test
    void closeEndsEveryWatchersBlockedCallAtOnce() throws Exception {
        Worker worker = startWorker(LONG_IDLE_WAIT);
        await().atMost(Duration.ofSeconds(10)).until(() -> blockedWatchers() == SPREAD.partitions());
        long start = System.nanoTime();
        worker.close();
        long closeMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(closeMs).as("close() of an idle worker (ms)").isLessThan(1_000);
        await().atMost(Duration.ofSeconds(2)).until(() -> blockedWatchers() == 0);
    }

    /** Fails over the master of partition 0 as {@code failover} does, then submits there. */
    private void pickupSurvives(Consumer<RedisServer> failover) throws Exception {
        startWorker(LONG_IDLE_WAIT);
        String before = keyOfPartition(0, "before-");
        queue.enqueue(EnqueueRequest.of(before, "job".getBytes(UTF_8)));
        await().atMost(Duration.ofSeconds(5)).until(() -> started.containsKey(before));

        failover.accept(masterOfPartition(0));
        String after = keyOfPartition(0, "after-");
        // The test's own client may still route to the old master once.
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .until(() -> queue.enqueue(EnqueueRequest.of(after, "job".getBytes(UTF_8))) != null);
        // Well before the worker's 30 s idle wait: its watcher reconnected (after at most WAIT plus
        // the socket timeout for a frozen master, and a backoff step) and heard the bell.
        await().atMost(Duration.ofSeconds(15)).until(() -> started.containsKey(after));
    }

    private Worker startWorker(Duration idleWait) {
        WorkerSettings settings = WorkerSettings.builder(
                        RedisSettings.builder(cluster.uri()).socketTimeout(Duration.ofSeconds(1)).build(), SPREAD)
                .idleWait(idleWait)
                .leaseTime(Duration.ofSeconds(5))
                .shutdownTimeout(Duration.ofSeconds(5))
                .build();
        Worker worker = Worker.start(settings, (job, context) -> started.putIfAbsent(job.key(), System.nanoTime()));
        workers.add(worker);
        return worker;
    }

    private String keyOfPartition(int partition, String prefix) {
        for (int i = 0; ; i++) {
            String key = prefix + i;
            if (queue.keys().partitionIndex(key) == partition) {
                return key;
            }
        }
    }

    private RedisServer masterOfPartition(int p) {
        return cluster.deployment().masterOfKey(queue.keys().partition(p).prefix());
    }

    /** Connections of any client blocked in BLPOP, over the masters. */
    private static long blockedWatchers() {
        return cluster.deployment().masters().stream()
                .mapToLong(m -> m.call(Jedis::clientList).lines().filter(l -> l.contains(" cmd=blpop")).count())
                .sum();
    }

    /** Calls per command the masters ran for clients: not INFO, nor the replicas' REPLCONF ACKs. */
    private static Map<String, Long> commandsProcessed(List<RedisServer> masters) {
        Map<String, Long> calls = new TreeMap<>();
        for (RedisServer node : masters) {
            for (String line : node.call(j -> j.info("commandstats")).split("\r?\n")) {
                if (line.startsWith("cmdstat_") && !line.startsWith("cmdstat_info:") && !line.startsWith("cmdstat_replconf:")) {
                    calls.merge(line.substring("cmdstat_".length(), line.indexOf(':')),
                            Long.parseLong(line.substring(line.indexOf("calls=") + 6, line.indexOf(','))), Long::sum);
                }
            }
        }
        return calls;
    }
}
