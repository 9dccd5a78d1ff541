package io.seriatim.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.seriatim.core.keys.PartitionKeys;
import io.seriatim.core.queue.EnqueueRequest;
import io.seriatim.core.queue.KeyedQueue;
import io.seriatim.core.redis.RedisConnector;
import io.seriatim.core.redis.RedisSettings;
import io.seriatim.core.settings.NamespaceSettings;
import io.seriatim.localredis.RedisCluster;
import io.seriatim.testkit.DeploymentExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;
import redis.clients.jedis.UnifiedJedis;

/**
 * {@code seriatim namespace create} and {@code seriatim stats} on a local Redis Cluster (3
 * masters, 3 replicas): the per-master default, and each master's share of a namespace.
 */
class ClusterStatsTest {
    @RegisterExtension
    static final DeploymentExtension<RedisCluster> cluster = DeploymentExtension.cluster();

    record Run(int exit, String out, String err) {}

    private UnifiedJedis redis;

    @BeforeEach
    void connect() {
        redis = RedisConnector.connect(RedisSettings.of(cluster.uri()));
    }

    @AfterEach
    void close() {
        redis.close();
    }

    Run run(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--redis";
        all[args.length + 1] = cluster.uri();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Seriatim.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return new Run(cli.execute(all), out.toString(), err.toString());
    }

    @Test
    void createWithoutPartitionsGivesFourPerMasterAndStatsShowsEachMastersShare() {
        Run created = run("namespace", "create", "-n", "comments");
        assertThat(created.exit()).as(created.err()).isZero();
        JsonObject shown = JsonParser.parseString(run("namespace", "show", "-n", "comments", "--json").out())
                .getAsJsonObject();
        assertThat(shown.get("partitions").getAsInt()).isEqualTo(12);
        assertThat(shown.get("layout").getAsString()).isEqualTo("SPREAD");
        assertThat(run("namespace", "create", "-n", "comments").exit()).as("created again: the same settings").isZero();

        KeyedQueue queue = KeyedQueue.openExisting(redis, "comments");
        for (int i = 0; i < 90; i++) {
            queue.enqueue(EnqueueRequest.of("k" + i, "job".getBytes(UTF_8)));
        }
        queue.claim(0, "w", 1_000, Duration.ofMinutes(1), 10);
        queue.park("k1", "by hand");

        Run text = run("stats", "-n", "comments");
        assertThat(text.exit()).as(text.err()).isZero();
        assertThat(text.out()).contains("pending jobs     90\n", "masters          3, 12 partitions spread evenly\n",
                "partitions ready keys leased keys parked keys pending jobs").doesNotContain("warning");
        assertThat(text.out().lines().filter(l -> l.matches("  127\\.0\\.0\\.1:\\d+ +4 .*"))).hasSize(3);

        JsonObject o = JsonParser.parseString(run("stats", "-n", "comments", "--json").out()).getAsJsonObject();
        JsonArray masters = o.getAsJsonArray("masters");
        assertThat(masters).hasSize(3);
        long pending = 0;
        long leased = 0;
        long parked = 0;
        long ready = 0;
        for (JsonElement e : masters) {
            JsonObject m = e.getAsJsonObject();
            assertThat(m.get("partitions").getAsInt()).isEqualTo(4);
            assertThat(m.getAsJsonArray("partitionIds")).hasSize(4);
            assertThat(m.getAsJsonArray("partitionSlots")).hasSize(4);
            pending += m.get("pendingJobs").getAsLong();
            leased += m.get("leasedKeys").getAsLong();
            parked += m.get("parkedKeys").getAsLong();
            ready += m.get("readyKeys").getAsLong();
        }
        assertThat(pending).isEqualTo(o.get("pendingJobs").getAsLong()).isEqualTo(90);
        assertThat(leased).isEqualTo(o.get("leasedKeys").getAsLong()).isPositive();
        assertThat(parked).isEqualTo(1);
        assertThat(ready).isEqualTo(o.get("readyKeys").getAsLong());
        assertThat(o.get("spreadEvenly").getAsBoolean()).isTrue();
        assertThat(o.has("spreadWarning")).isFalse();
    }

    @Test
    void statsWarnsWhenANamespaceLeavesMastersWithoutPartitions() {
        KeyedQueue.open(redis, NamespaceSettings.builder("single").partitions(1).build());
        Run text = run("stats", "-n", "single");
        assertThat(text.exit()).as(text.err()).isZero();
        assertThat(text.out()).contains("masters          3, 1 partitions spread UNEVENLY\n",
                "warning          namespace 'single': only 1 partition for the cluster's 3 masters");
        JsonObject o = JsonParser.parseString(run("stats", "-n", "single", "--json").out()).getAsJsonObject();
        assertThat(o.get("spreadEvenly").getAsBoolean()).isFalse();
        assertThat(o.get("spreadWarning").getAsString()).startsWith("namespace 'single': only 1 partition");
    }

    @Test
    void inspectNamesTheKeysPartitionAndSlot() {
        KeyedQueue queue = KeyedQueue.open(redis, NamespaceSettings.builder("orders").partitions(6).build());
        queue.enqueue(EnqueueRequest.of("k", "job".getBytes(UTF_8)));
        Run r = run("inspect", "-n", "orders", "k");
        assertThat(r.exit()).as(r.err()).isZero();
        PartitionKeys p = queue.keys().partitionOf("k");
        assertThat(r.out()).contains("partition  " + p.partition() + " of 6  (hash tag {" + p.tag() + "}, slot " + p.slot()
                + ")\n");
    }

    @Test
    void keysListsStuckAndDeepestKeysAcrossTheMasters() {
        KeyedQueue queue = KeyedQueue.open(redis, NamespaceSettings.builder("lanes").partitions(6).build());
        for (int i = 0; i < 30; i++) {
            String[] jobs = new String[1 + i % 4];
            java.util.Arrays.fill(jobs, "job");
            queue.enqueue(EnqueueRequest.of("k" + i, java.util.Arrays.stream(jobs).map(j -> j.getBytes(UTF_8))
                    .toArray(byte[][]::new)));
        }
        for (int i = 0; i < 6; i++) {
            queue.park("k" + (i * 5), "held " + i); // keys of several partitions, on every master
        }
        JsonObject stuck = JsonParser.parseString(run("keys", "-n", "lanes", "--stuck", "--json").out()).getAsJsonObject();
        assertThat(stuck.get("parkedKeys").getAsLong()).isEqualTo(6);
        assertThat(stuck.getAsJsonArray("keys")).hasSize(6);
        Run top = run("keys", "-n", "lanes", "--top", "depth", "--limit", "30", "--json");
        assertThat(top.exit()).as(top.err()).isZero();
        var rows = JsonParser.parseString(top.out()).getAsJsonObject().getAsJsonArray("keys");
        assertThat(rows).hasSize(30);
        assertThat(rows.get(0).getAsJsonObject().get("pending").getAsLong()).isEqualTo(4);
        assertThat(rows.get(29).getAsJsonObject().get("pending").getAsLong()).isEqualTo(1);
    }
}
