package io.seriatim.tools.demo;

import com.codahale.metrics.MetricRegistry;
import io.seriatim.cli.ExitCode;
import io.seriatim.client.Producer;
import io.seriatim.client.ProducerSettings;
import io.seriatim.core.queue.KeyedQueue;
import io.seriatim.core.queue.QueueCounts;
import io.seriatim.core.redis.RedisConnector;
import io.seriatim.core.redis.RedisSettings;
import io.seriatim.core.settings.NamespaceSettings;
import io.seriatim.core.settings.StatedSettings;
import io.seriatim.gateway.GatewayServer;
import io.seriatim.gateway.GatewaySettings;
import io.seriatim.localredis.RedisServer;
import io.seriatim.sweeper.Sweeper;
import io.seriatim.sweeper.SweeperSettings;
import io.seriatim.tools.launch.ChildJvm;
import io.seriatim.verify.HistoryChecker;
import io.seriatim.verify.HistoryFiles;
import io.seriatim.verify.JsonLines;
import io.seriatim.verify.ProduceRecorder;
import io.seriatim.verify.Verdict;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import redis.clients.jedis.UnifiedJedis;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"See Seriatim work, with nothing installed: starts a Redis, a gateway, two worker processes and a",
            "sweeper; submits keys x jobs through the client; kills one worker midway; and ends with a verdict",
            "computed from what the handlers saw. Exit 0 when order held and nothing was lost. Ctrl-C stops everything."})
public final class DemoCommand implements Callable<Integer> {
    private static final String NS = "demo";

    @Option(names = "--keys", defaultValue = "200", description = "keys (default ${DEFAULT-VALUE})")
    int keys;

    @Option(names = "--jobs-per-key", defaultValue = "100", description = "jobs per key (default ${DEFAULT-VALUE})")
    int jobsPerKey;

    @Option(names = "--work-ms", defaultValue = "10", description = "milliseconds each job works (default ${DEFAULT-VALUE})")
    long workMs;

    @Option(names = "--no-kill", description = "do not kill a worker midway")
    boolean noKill;

    @Option(names = "--dir", description = "where the JSON-line histories go (default: a temporary directory)")
    Path dir;

    @Spec CommandSpec spec;

    private final List<Process> workers = new ArrayList<>();
    private final List<AutoCloseable> running = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (keys < 1 || jobsPerKey < 1) {
            throw new IllegalArgumentException("--keys and --jobs-per-key must be >= 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        Path work = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("seriatim-demo-");
        Thread stopAll = Thread.ofPlatform().unstarted(this::stopAll);
        Runtime.getRuntime().addShutdownHook(stopAll);
        try {
            return run(out, work);
        } finally {
            stopAll();
            Runtime.getRuntime().removeShutdownHook(stopAll);
        }
    }

    private int run(PrintWriter out, Path work) throws Exception {
        long total = (long) keys * jobsPerKey;
        RedisServer redis = RedisServer.start();
        running.add(redis);
        out.printf("redis-server %s on %s%n", redis.version(), redis.uri());
        RedisSettings redisSettings = RedisSettings.of(redis.uri());
        UnifiedJedis client = RedisConnector.connect(redisSettings);
        running.add(client);
        NamespaceSettings ns = NamespaceSettings.builder(NS).maxAttempts(10).build();
        KeyedQueue queue = KeyedQueue.open(client, ns);
        GatewayServer gateway = GatewayServer.start(GatewaySettings.builder(redisSettings).host("127.0.0.1").port(0).build(),
                new MetricRegistry());
        running.add(gateway);
        out.printf("gateway on 127.0.0.1:%d%n", gateway.port());
        running.add(Sweeper.start(SweeperSettings.builder(redisSettings, List.of(StatedSettings.all(ns))).interval(Duration.ofMillis(250)).build(),
                new MetricRegistry()));
        out.println("sweeper every 250 ms");
        List<Path> consumed = List.of(work.resolve("consumed-1.jsonl"), work.resolve("consumed-2.jsonl"));
        for (int i = 0; i < 2; i++) {
            workers.add(startWorker(redis.uri(), "worker-" + (i + 1), consumed.get(i)));
        }
        out.printf("2 worker processes (pid %d, %d), lease 2 s; histories in %s%n", workers.get(0).pid(),
                workers.get(1).pid(), work);
        out.printf("submitting %,d keys x %,d jobs through the client...%n", keys, jobsPerKey);
        out.flush();

        Path produced = work.resolve("produced.jsonl");
        AtomicLong acked = new AtomicLong();
        long start = System.nanoTime();
        Thread producerThread;
        try (JsonLines lines = JsonLines.to(produced);
                Producer producer = Producer.connect(ProducerSettings.builder("127.0.0.1", gateway.port(), NS).build())) {
            producerThread = Thread.ofPlatform().name("demo-producer").start(() -> {
                try {
                    ProduceRecorder.produce(producer, lines, "post-", keys, jobsPerKey, 0, acked);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            boolean killed = noKill;
            long done;
            do {
                Thread.sleep(100);
                QueueCounts c = queue.counts();
                done = c.counters().getOrDefault("acked", 0L);
                double seconds = (System.nanoTime() - start) / 1e9;
                out.printf("\r%s %,7d/%,d jobs  %,8.0f jobs/s  %3d keys in flight   ", bar(done, total), done, total,
                        done / seconds, c.leasedKeys());
                out.flush();
                if (!killed && done > total * 2 / 5) {
                    killed = true;
                    workers.getFirst().destroyForcibly();
                    out.printf("%n>>> killed worker-1 (kill -9, pid %d) with its keys leased: the sweeper hands them on after the lease%n",
                            workers.getFirst().pid());
                }
            } while (done < total || producerThread.isAlive());
            producerThread.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        out.println();
        for (Process p : workers) {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        Verdict v = new HistoryChecker().check(HistoryFiles.submitted(List.of(produced)), HistoryFiles.runs(consumed));
        out.println();
        out.printf("Verdict  per-key order held: %s%n", v.orderViolations() == 0 && v.staleRuns() == 0 ? "yes" : "NO");
        out.printf("         jobs lost:          %d of %,d acknowledged%n", v.lost(), v.acknowledged());
        out.printf("         unexpected runs:    %d%n", v.unexpected());
        out.printf("         duplicate runs:     %d (jobs in flight on the killed worker run again)%n", v.duplicateRuns());
        out.printf("         throughput:         %,.0f jobs/s end to end (%,d jobs in %.1f s, on this machine)%n",
                total / seconds, total, seconds);
        v.examples().forEach(e -> out.println("         " + e));
        out.flush();
        return v.ok() ? ExitCode.OK : ExitCode.FAILED;
    }

    private Process startWorker(String redisUri, String id, Path history) throws Exception {
        List<String> cmd = ChildJvm.command(List.of(), ChildJvm.PRODUCT_MAIN, List.of(
                "verify-consume", "--redis", redisUri, "-n", NS, "--worker-id", id,
                "--lease", "PT2S", "--max-attempts", "10", "--concurrency", "64", "--batch", "16",
                "--work-ms", Long.toString(workMs), "--out", history.toString(),
                "--parent-pid", Long.toString(ProcessHandle.current().pid())));
        return new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(history.resolveSibling(id + ".log").toFile()).start();
    }

    private static String bar(long done, long total) {
        int width = 30;
        int filled = (int) Math.min(width, done * width / Math.max(1, total));
        return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "]";
    }

    private void stopAll() {
        for (Process p : workers) {
            p.destroyForcibly();
        }
        for (int i = running.size() - 1; i >= 0; i--) {
            try {
                running.get(i).close();
            } catch (Exception ignored) {
                // stopping everything: keep going
            }
        }
        running.clear();
        workers.clear();
    }
}
