package io.seriatim.tools.bench;

import com.codahale.metrics.MetricRegistry;
import io.seriatim.client.Producer;
import io.seriatim.client.ProducerSettings;
import io.seriatim.client.SubmitOptions;
import io.seriatim.core.queue.EnqueueRequest;
import io.seriatim.core.queue.NewJob;
import io.seriatim.core.settings.NamespaceSettings;
import io.seriatim.gateway.GatewayServer;
import io.seriatim.gateway.GatewaySettings;
import io.seriatim.localredis.RedisBinary;
import io.seriatim.worker.JobHandler;
import io.seriatim.worker.Worker;
import io.seriatim.worker.WorkerSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Recorder;

/**
 * The benchmark scenarios. Each builds its own Redis, measures, and checks correctness: a fast
 * wrong answer is a failed run ({@link Result#ok()} false).
 */
final class Scenarios {
    /** One measurement; {@code figures} hold the numbers, {@code ok} whether the run was correct. */
    record Result(String scenario, Map<String, Double> figures, boolean ok, String note) {}

    private Scenarios() {}

    /** Checks per-key order in handlers: each key's next job must be its previous + 1. */
    static final class OrderCheck {
        final Map<String, AtomicLong> last = new ConcurrentHashMap<>();
        final LongAdder runs = new LongAdder();
        final LongAdder violations = new LongAdder();

        void saw(String key, long seq) {
            long prev = last.computeIfAbsent(key, k -> new AtomicLong()).getAndSet(seq);
            if (seq != prev + 1) {
                violations.increment();
            }
            runs.increment();
        }

        boolean complete(long expected) {
            return violations.sum() == 0 && runs.sum() == expected;
        }
    }

    static WorkerSettings.Builder workerSettings(BenchEnv env, int concurrency, int batch) {
        return WorkerSettings.builder(env.redisSettings, env.queue.settings()).concurrency(concurrency).batchSize(batch)
                .keysPerClaim(Math.min(concurrency, 256)).leaseTime(Duration.ofSeconds(30)).idleWait(Duration.ofMillis(100));
    }

    static NamespaceSettings.Builder namespace() {
        return NamespaceSettings.builder(BenchEnv.NS).fairnessJobs(0).fairnessTime(Duration.ZERO);
    }

    /** Scenario 1 and 5: drain preloaded jobs with a no-op handler; also memory and calls per job. */
    @SuppressWarnings("try") // the worker runs while the block waits; its close stops it
    static Result drain(int keys, int jobsPerKey, int payloadBytes) throws Exception {
        long total = (long) keys * jobsPerKey;
        try (BenchEnv env = new BenchEnv(namespace())) {
            long before = env.info("memory", "used_memory");
            env.preload(keys, jobsPerKey, payloadBytes);
            long after = env.info("memory", "used_memory");
            env.resetStats();
            OrderCheck order = new OrderCheck();
            CountDownLatch done = new CountDownLatch(1);
            JobHandler handler = (job, ctx) -> {
                order.saw(job.key(), BenchEnv.seq(job.payload()));
                if (order.runs.sum() == total) {
                    done.countDown();
                }
            };
            long start = System.nanoTime();
            try (Worker w = Worker.start(workerSettings(env, 256, 64).build(), handler, new MetricRegistry(), env.redis)) {
                done.await(300, TimeUnit.SECONDS);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double calls = env.scriptCalls() / (double) total;
            return new Result("drain", Map.of("jobs/s", total / seconds, "script calls/job", calls,
                    "redis bytes/pending job over payload", (after - before) / (double) total - payloadBytes),
                    order.complete(total), order.violations.sum() + " order violations, " + order.runs.sum() + "/" + total + " runs");
        }
    }

    /** Scenario 3: a handler that sleeps 1 ms, many keys. */
    @SuppressWarnings("try") // the worker runs while the block waits; its close stops it
    static Result sleepingHandler(int keys, int jobsPerKey) throws Exception {
        long total = (long) keys * jobsPerKey;
        try (BenchEnv env = new BenchEnv(namespace())) {
            env.preload(keys, jobsPerKey, 100);
            OrderCheck order = new OrderCheck();
            CountDownLatch done = new CountDownLatch(1);
            long start = System.nanoTime();
            try (Worker w = Worker.start(workerSettings(env, Math.min(keys, 4096), 32).build(), (job, ctx) -> {
                Thread.sleep(1);
                order.saw(job.key(), BenchEnv.seq(job.payload()));
                if (order.runs.sum() == total) {
                    done.countDown();
                }
            }, new MetricRegistry(), env.redis)) {
                done.await(300, TimeUnit.SECONDS);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Result("sleep-1ms", Map.of("jobs/s", total / seconds), order.complete(total),
                    order.violations.sum() + " order violations");
        }
    }

    /** Scenario 2: submit through the gateway with the batching client, flat out. */
    static Result submit(int keys, long total, int clients) throws Exception {
        try (BenchEnv env = new BenchEnv(namespace());
                GatewayServer gateway = GatewayServer.start(GatewaySettings.builder(env.redisSettings).host("127.0.0.1")
                        .port(0).redisThreads(4).build(), new MetricRegistry())) {
            long memoryBefore = env.info("memory", "used_memory");
            long start = System.nanoTime();
            List<Thread> threads = new ArrayList<>();
            LongAdder failed = new LongAdder();
            for (int c = 0; c < clients; c++) {
                int client = c;
                threads.add(Thread.ofPlatform().start(() -> {
                    try (Producer p = Producer.connect(ProducerSettings.builder("127.0.0.1", gateway.port(), BenchEnv.NS)
                            .maxBatchJobs(2000).maxInFlight(8).maxBufferedJobs(200_000).build())) {
                        long perClient = total / clients;
                        List<CompletableFuture<Long>> futures = new ArrayList<>((int) perClient);
                        int mine = keys / clients;
                        String[] names = new String[mine];
                        byte[][] heads = new byte[mine][];
                        for (int m = 0; m < mine; m++) {
                            names[m] = "key-" + (m * clients + client);
                            heads[m] = (names[m] + ":").getBytes(java.nio.charset.StandardCharsets.UTF_8);
                        }
                        for (long i = 0; i < perClient; i++) {
                            int m = (int) (i % mine);
                            // No waiting midway: submit() blocks when the client's buffer is full,
                            // which is the back-pressure; a join here would empty the pipeline.
                            futures.add(p.submit(names[m], BenchEnv.payload(heads[m], i / mine + 1, 100)));
                        }
                        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).exceptionally(e -> {
                            failed.increment();
                            return null;
                        }).join();
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            BenchEnv.Stored stored = env.stored(keys);
            long expected = total / clients * clients;
            // Through the gateway, so this counts the dedup keys that make resends safe, too.
            double bytesPerJob = (env.info("memory", "used_memory") - memoryBefore) / (double) expected - 100;
            return new Result("submit", Map.of("jobs/s", expected / seconds,
                    "redis us/job", stored.scriptMicros() / (double) expected,
                    "jobs/script call", expected / (double) stored.scriptCalls(),
                    "redis bytes/job over payload", bytesPerJob), stored.complete(expected) && failed.sum() == 0,
                    stored.note(expected));
        }
    }

    /**
     * Scenario 2, without the client and the gateway: the gateway's calls (batches of 2,000 jobs
     * over 1,000 keys) made straight through {@code KeyedQueue.enqueueAll} from one thread. Redis
     * then shares the machine only with that thread, so its script time per job is what Redis
     * costs, not Redis waiting for a core (under the full submit scenario, commandstats' times
     * include the moments Redis was preempted mid-script).
     */
    static Result enqueueDirect(int keys, long total) throws Exception {
        try (BenchEnv env = new BenchEnv(namespace())) {
            String[] names = new String[keys];
            byte[][] heads = new byte[keys][];
            for (int k = 0; k < keys; k++) {
                names[k] = "key-" + k;
                heads[k] = (names[k] + ":").getBytes(StandardCharsets.UTF_8);
            }
            env.resetStats();
            long start = System.nanoTime();
            List<EnqueueRequest> batch = new ArrayList<>(2000);
            for (long i = 0; i < total; i++) {
                int k = (int) (i % keys);
                batch.add(new EnqueueRequest(names[k], List.of(NewJob.of(BenchEnv.payload(heads[k], i / keys + 1, 100))), null));
                if (batch.size() == 2000 || i == total - 1) {
                    env.queue.enqueueAll(batch, "direct:" + i, 0, Duration.ZERO);
                    batch.clear();
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            BenchEnv.Stored stored = env.stored(keys);
            return new Result("enqueue (no gateway)", Map.of("jobs/s", total / seconds,
                    "redis us/job", stored.scriptMicros() / (double) total,
                    "jobs/script call", total / (double) stored.scriptCalls()), stored.complete(total),
                    stored.note(total));
        }
    }

    /** Scenario 4 (and 6 when {@code rate} is 0): submit to handler-start latency through gateway, Redis and worker. */
    static Result latency(int keys, int rate, Duration warmUp, Duration length, int workers) throws Exception {
        try (BenchEnv env = new BenchEnv(namespace());
                GatewayServer gateway = GatewayServer.start(GatewaySettings.builder(env.redisSettings).host("127.0.0.1")
                        .port(0).build(), new MetricRegistry())) {
            Recorder recorder = new Recorder(3);
            Recorder fromRedis = new Recorder(3);
            Recorder acked = new Recorder(3); // submit to the gateway's answer: the producer's share // enqueue (Redis clock, ms) to handler start: the worker's share
            OrderCheck order = new OrderCheck();
            // Not recorded while the JIT compiles the hot paths: on 2 cores the compiler threads
            // compete with Redis for the first seconds, which is start-up cost, not latency.
            long warmUntil = System.nanoTime() + warmUp.toNanos();
            JobHandler handler = (job, ctx) -> {
                long micros = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
                if (System.nanoTime() > warmUntil) {
                    recorder.recordValue(Math.max(0, micros - Long.parseLong(job.headers().get("t"))));
                    fromRedis.recordValue(Math.max(0, micros / 1000 - job.submittedAtMs()));
                }
                order.saw(job.key(), BenchEnv.seq(job.payload()));
            };
            List<Worker> ws = new ArrayList<>();
            for (int i = 0; i < workers; i++) {
                ws.add(Worker.start(workerSettings(env, 512, 32).build(), handler, new MetricRegistry(), env.redis));
            }
            long submitted = 0;
            long start = System.nanoTime();
            try (Producer p = Producer.connect(ProducerSettings.builder("127.0.0.1", gateway.port(), BenchEnv.NS)
                    .linger(Duration.ofMillis(1)).maxBufferedJobs(100_000).build())) {
                long end = start + warmUp.toNanos() + length.toNanos();
                long[] seq = new long[keys];
                while (System.nanoTime() < end) {
                    int k = (int) (submitted % keys);
                    String key = "key-" + k;
                    long micros = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
                    long sentAt = System.nanoTime();
                    boolean record = sentAt > warmUntil;
                    p.submit(key, BenchEnv.payload(key, ++seq[k], 100), SubmitOptions.NONE.withHeaders(Map.of("t",
                            Long.toString(micros)))).thenRun(() -> {
                                if (record) {
                                    acked.recordValue((System.nanoTime() - sentAt) / 1000);
                                }
                            });
                    submitted++;
                    if (rate > 0) {
                        // Paced without spinning: on 2 cores a busy-wait would take a whole core
                        // from Redis, the gateway and the worker it is measuring.
                        long due = start + submitted * 1_000_000_000L / rate;
                        long ahead = due - System.nanoTime();
                        if (ahead > 200_000) {
                            LockSupport.parkNanos(ahead);
                        }
                    }
                }
                long expected = submitted;
                long waitUntil = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (order.runs.sum() < expected && System.nanoTime() < waitUntil) {
                    Thread.sleep(10);
                }
            } finally {
                ws.forEach(Worker::close);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            var h = recorder.getIntervalHistogram();
            var w = fromRedis.getIntervalHistogram();
            var a = acked.getIntervalHistogram();
            return new Result(rate > 0 ? "latency@" + rate + "/s" : "mixed", Map.of(
                    "jobs/s", order.runs.sum() / seconds,
                    "p50 ms", h.getValueAtPercentile(50) / 1000.0,
                    "p99 ms", h.getValueAtPercentile(99) / 1000.0,
                    "p99.9 ms", h.getValueAtPercentile(99.9) / 1000.0,
                    "worker p50 ms", (double) w.getValueAtPercentile(50),
                    "ack p50 ms", a.getValueAtPercentile(50) / 1000.0,
                    "ack p99 ms", a.getValueAtPercentile(99) / 1000.0,
                    "worker p99 ms", (double) w.getValueAtPercentile(99)),
                    order.complete(submitted), order.runs.sum() + "/" + submitted + " runs, " + order.violations.sum()
                            + " order violations");
        }
    }

    /** Scenario 5: Redis time of one claim (64 keys, 32 jobs each) with few and with many ready keys. */
    @SuppressWarnings("deprecation") // Jedis 8 deprecates sendCommand and has no typed call for this command
    static Result claimCost(int readyKeys) throws Exception {
        try (BenchEnv env = new BenchEnv(namespace())) {
            env.preload(readyKeys, 1, 100);
            env.redis.sendCommand(redis.clients.jedis.Protocol.Command.CONFIG, "SET", "slowlog-log-slower-than", "0");
            List<Long> micros = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                env.redis.sendCommand(redis.clients.jedis.Protocol.Command.SLOWLOG, "RESET");
                env.queue.claim(0, "bench", 64, Duration.ofMinutes(5), 32);
                for (Object entry : (List<?>) env.redis.sendCommand(redis.clients.jedis.Protocol.Command.SLOWLOG, "GET", "5")) {
                    List<?> e = (List<?>) entry;
                    String cmd = new String((byte[]) ((List<?>) e.get(3)).getFirst(), java.nio.charset.StandardCharsets.UTF_8).toLowerCase(java.util.Locale.ROOT);
                    if (cmd.startsWith("eval")) {
                        micros.add((Long) e.get(2));
                    }
                }
            }
            micros.sort(null);
            return new Result("claim@" + readyKeys + " ready keys", Map.of("us per claim (median)",
                    (double) micros.get(micros.size() / 2)), !micros.isEmpty(), micros.size() + " claims timed");
        }
    }

    /**
     * The machine's yardstick: plain Redis RPUSH of 100-byte values, pipelined x16, from
     * {@code redis-benchmark} (Redis' own tool; skipped when it is not installed). The issue's
     * reference figures came from this machine kind at about 1.0M ops/s; a shared machine is
     * sometimes half as fast, so the other scenarios are best read as ratios to this one.
     */
    static Result redisRpush() throws Exception {
        Path tool = RedisBinary.resolve().resolveSibling("redis-benchmark");
        if (!Files.isExecutable(tool)) {
            return new Result("redis RPUSH -P 16", Map.of(), true, "skipped: no redis-benchmark next to redis-server");
        }
        try (BenchEnv env = new BenchEnv(namespace())) {
            Process p = new ProcessBuilder(tool.toString(), "-p", Integer.toString(env.server.port()), "-t", "rpush",
                    "-P", "16", "-n", "2000000", "-d", "100", "-q", "--csv").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            for (String line : out.split("\n")) {
                if (line.startsWith("\"RPUSH\"")) {
                    double rps = Double.parseDouble(line.split(",")[1].replace("\"", ""));
                    return new Result("redis RPUSH -P 16", Map.of("ops/s", rps), true, "redis-benchmark, 2M requests");
                }
            }
            return new Result("redis RPUSH -P 16", Map.of(), false, "unexpected redis-benchmark output: " + out);
        }
    }
}
