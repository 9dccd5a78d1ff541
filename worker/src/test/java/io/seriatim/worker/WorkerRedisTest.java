package io.seriatim.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.seriatim.core.queue.KeyedQueue;
import io.seriatim.core.settings.NamespaceSettings;
import io.seriatim.testkit.RedisExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Protocol;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The worker and Redis: a restart mid-run, and how many script calls each job costs. */
class WorkerRedisTest extends WorkerTestSupport {
    /** fsync on every write: the restart must not lose submitted jobs, so the test can demand all of them. */
    @RegisterExtension
    static final RedisExtension durable = new RedisExtension(List.of("--appendfsync", "always"));

    @Test
    void aWorkerRidesOutARedisRestartAndFinishesInOrder() {
        NamespaceSettings ns = NamespaceSettings.builder("restart").maxAttempts(1000).build();
        KeyedQueue queue = KeyedQueue.open(durable.client(), ns);
        Ledger ledger = new Ledger();
        Worker w = Worker.start(settings(ns).leaseTime(Duration.ofSeconds(2)).build()
                .withRedis(io.seriatim.core.redis.RedisSettings.builder(durable.server().uri())
                        .socketTimeout(Duration.ofMillis(500)).connectTimeout(Duration.ofMillis(500)).build()),
                recording(ledger, "w", (job, ctx) -> Thread.sleep(1)), metrics);
        workers.add(w);
        Map<String, Integer> submitted = submit(queue, keys("k", 20), 50);
        await().atMost(Duration.ofSeconds(30)).until(() -> ledger.runs() > 200);
        durable.server().kill();
        durable.server().restart();
        KeyedQueue after = KeyedQueue.open(durable.client(), ns);
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            after.sweep(0, 1000); // the sweeper's job: leases that lapsed while Redis was down
            return after.counts().pendingJobs() == 0;
        });
        Map<String, List<Ledger.Entry>> runs = ledger.snapshot();
        submitted.forEach((key, n) -> {
            List<Long> seqs = runs.get(key).stream().map(Ledger.Entry::seq).toList();
            assertThat(seqs).as("key %s: every job ran", key).containsAll(java.util.stream.LongStream.rangeClosed(1, n).boxed().toList());
            long highest = 0;
            for (long seq : seqs) {
                assertThat(seq).as("key %s never skips ahead", key).isLessThanOrEqualTo(highest + 1);
                highest = Math.max(highest, seq);
            }
        });
    }

    @Test
    @SuppressWarnings("deprecation") // Jedis 8 deprecates sendCommand and has no typed call for this command
    void drainingCostsFewScriptCallsPerJob() {
        NamespaceSettings ns = NamespaceSettings.builder("cost").fairnessJobs(0).fairnessTime(Duration.ZERO).build();
        KeyedQueue queue = KeyedQueue.open(redis.client(), ns);
        submit(queue, keys("k", 100), 200);
        redis.client().sendCommand(Protocol.Command.CONFIG, "RESETSTAT");
        start(settings(ns).batchSize(64).concurrency(64).build(), (job, ctx) -> { });
        await().atMost(Duration.ofSeconds(60)).until(() -> queue.counts().pendingJobs() == 0);
        String stats = redis.client().info("commandstats");
        long scriptCalls = calls(stats, "evalsha") + calls(stats, "eval");
        double perJob = scriptCalls / 20_000.0;
        System.out.printf("draining 20,000 jobs (100 keys x 200, batch 64): %d script calls, %.4f per job%n",
                scriptCalls, perJob);
        assertThat(perJob).isLessThan(0.1);
    }

    /**
     * One job per key: each key is claimed once and acked once, so only gathering many keys into
     * each claim and each ack keeps the calls per job low (one call per key would be 2 per job).
     */
    @Test
    @SuppressWarnings("deprecation") // as above
    void sparseKeysShareTheirClaimsAndAcks() {
        NamespaceSettings ns = NamespaceSettings.builder("sparse").build();
        KeyedQueue queue = KeyedQueue.open(redis.client(), ns);
        submit(queue, keys("s", 5000), 1);
        redis.client().sendCommand(Protocol.Command.CONFIG, "RESETSTAT");
        start(settings(ns).concurrency(256).build(), (job, ctx) -> { });
        await().atMost(Duration.ofSeconds(60)).until(() -> queue.counts().pendingJobs() == 0);
        String stats = redis.client().info("commandstats");
        long scriptCalls = calls(stats, "evalsha") + calls(stats, "eval");
        double perJob = scriptCalls / 5_000.0;
        System.out.printf("draining 5,000 keys of one job each: %d script calls, %.4f per job%n", scriptCalls, perJob);
        assertThat(perJob).isLessThan(0.5);
    }

    static long calls(String commandstats, String command) {
        for (String line : commandstats.split("\r?\n")) {
            if (line.startsWith("cmdstat_" + command + ":")) {
                String v = line.substring(line.indexOf("calls=") + 6);
                return Long.parseLong(v.substring(0, v.indexOf(',')));
            }
        }
        return 0;
    }
}
