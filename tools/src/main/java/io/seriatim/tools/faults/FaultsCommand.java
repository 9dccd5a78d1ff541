package io.seriatim.tools.faults;

import io.seriatim.verify.HistoryChecker;
import io.seriatim.verify.HistoryFiles;
import io.seriatim.verify.RecoveryTimes;
import io.seriatim.verify.Run;
import io.seriatim.verify.Submitted;
import io.seriatim.verify.Verdict;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code seriatim faults}: the fault suite. See docs/reliability.md. */
@Command(name = "faults", mixinStandardHelpOptions = true,
        description = {"Prove per-key order and no loss under faults: for each scenario, start a Redis, a gateway,",
            "3 worker processes, a sweeper and the verifiable producer on loopback; inject the fault while the",
            "producer runs; drain; and check the recorded histories. Exit 0 when every scenario held."})
public final class FaultsCommand implements Callable<Integer> {
    @Option(names = "--scenario", split = ",", description = "scenarios to run (default: all): baseline, kill-worker, "
            + "crash-before-ack, stop-worker, slow-worker, kill-redis-everysec, kill-redis-always, stop-redis, "
            + "kill-gateway, poison-job, maxmemory, cut-worker, many-sweepers, cluster-kill-master, cluster-reshard, "
            + "cluster-frozen-replica, sentinel-failover")
    List<String> only;

    @Option(names = "--seconds", defaultValue = "20", description = "length of each fault phase (default ${DEFAULT-VALUE})")
    int seconds;

    @Option(names = "--rate", description = "jobs per second submitted (default 2000; 10000 with --soak)")
    Integer rate;

    @Option(names = "--soak", paramLabel = "DURATION", description = {"instead of the scenarios, one rig for DURATION "
            + "(e.g. 1h) at --rate with a fault every minute drawn from the matrix; reports loss, order and the memory "
            + "slope of every process and of Redis"})
    Duration soak;

    @Option(names = "--quick", description = "6-second phases at 1000 jobs/s: the short version CI runs")
    boolean quick;

    @Option(names = "--seed", description = "seed of the random choices (default: random, printed)")
    Long seed;

    @Option(names = "--dir", description = "where histories and logs go (default: a temporary directory)")
    Path dir;

    @Option(names = "--write", description = "also write the results as a Markdown table to this file")
    Path write;

    @Spec CommandSpec spec;

    /** One scenario's figures. */
    record Outcome(Scenario scenario, Verdict verdict, int faults, long recoveryMaxMs, long boundMs, boolean drained,
            boolean ok, String note) {}

    @Override
    public Integer call() throws Exception {
        int jobsPerSecond = rate != null ? rate : soak != null ? 10_000 : 2000;
        if (seconds < 1 || jobsPerSecond < 1) {
            throw new IllegalArgumentException("--seconds and --rate must be >= 1, got " + seconds + " and " + jobsPerSecond);
        }
        if (only != null) {
            List<String> known = FaultScenarios.all().stream().map(Scenario::name).toList();
            List<String> unknown = only.stream().filter(n -> !known.contains(n)).toList();
            if (!unknown.isEmpty()) {
                throw new IllegalArgumentException("unknown scenario(s) " + unknown + "; known: " + known);
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        long s = seed != null ? seed : new Random().nextLong();
        Path root = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("seriatim-faults-");
        if (soak != null) {
            return soak(out, s, root, jobsPerSecond);
        }
        out.printf("fault suite: seed %d, histories in %s%n", s, root);
        out.flush();
        RigSettings base = new RigSettings(List.of(), 3, 1, List.of(), Duration.ofSeconds(2), Duration.ofMillis(250), 100,
                quick ? 1000 : jobsPerSecond, Duration.ofSeconds(quick ? 6 : seconds), 1, 3, false, RigSettings.Topology.STANDALONE, List.of());
        List<Outcome> outcomes = new ArrayList<>();
        Random random = new Random(s);
        for (Scenario scenario : FaultScenarios.all()) {
            if (only != null && !only.contains(scenario.name())) {
                continue;
            }
            Outcome o = run(scenario, scenario.shape().apply(base), Files.createDirectories(root.resolve(scenario.name())),
                    new Random(random.nextLong()));
            outcomes.add(o);
            out.println(line(o));
            o.verdict().examples().forEach(e -> out.println("    " + e));
            out.flush();
        }
        if (write != null) {
            Files.writeString(write, "Measured " + LocalDate.now(java.time.ZoneId.systemDefault()) + " with `./seriatim faults" + (quick ? " --quick" : " --seconds "
                    + seconds + " --rate " + jobsPerSecond) + " --seed " + s + "` on " + Runtime.getRuntime().availableProcessors()
                    + " cores.\n\n" + HEADER + String.join("\n", outcomes.stream().map(FaultsCommand::line).toList()) + "\n");
        }
        return outcomes.stream().allMatch(Outcome::ok) ? 0 : 1;
    }

    private int soak(PrintWriter out, long seed, Path root, int jobsPerSecond) throws Exception {
        if (only != null || quick) {
            throw new IllegalArgumentException("--soak runs the whole matrix on one rig: drop --scenario and --quick");
        }
        out.printf("fault suite soak: seed %d, histories in %s%n", seed, root);
        out.flush();
        Soak run = new Soak(soak, jobsPerSecond, out);
        Soak.Outcome o = run.run(root, new Random(seed));
        String report = run.report(o, seed, "./seriatim faults --soak " + soak.toString().substring(2).toLowerCase(
                java.util.Locale.ROOT) + " --rate " + jobsPerSecond);
        out.println(report);
        out.flush();
        if (write != null) {
            Files.writeString(write, report + "\n");
        }
        if (o.held() && dir == null) {
            // An hour's history is about 10 GB: not left behind in /tmp unless asked for (--dir) or needed.
            try (var tree = Files.walk(root)) {
                tree.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
            out.println("histories removed (the soak held; --dir keeps them)");
        }
        return o.held() ? 0 : 1;
    }

    static final String HEADER = "| scenario | held | attempted | acked | unknown (ran) | lost | held back | unexpected | "
            + "order violations | stale runs | key overlaps | duplicates (mean / max) | faults | recovery max / bound ms |\n"
            + "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n";

    private static String line(Outcome o) {
        Verdict v = o.verdict();
        return String.format("| %s | %s | %,d | %,d | %,d (%,d) | %d | %d | %d | %d | %d | %d%s | %.4f / %d | %d | %s |",
                o.scenario().name(), !o.ok() ? "**NO**: " + o.note() : o.note().startsWith("skipped") ? o.note() : "yes", v.submitted(), v.acknowledged(),
                v.submitted() - v.acknowledged(), v.unknownRan(), v.lost(), v.heldBack(), v.unexpected(),
                v.orderViolations(), v.staleRuns(), v.keyOverlaps(), o.scenario().overlapFree() ? "" : " (not judged)",
                v.distinctJobsRun() == 0 ? 0.0 : (double) v.duplicateRuns() / v.distinctJobsRun(),
                v.maxRunsOfAJob(), o.faults(), o.recoveryMaxMs() < 0 ? "-" : o.recoveryMaxMs() + " / " + o.boundMs());
    }

    @SuppressWarnings("try") // the guard only has to be closed
    private Outcome run(Scenario scenario, RigSettings settings, Path dir, Random random) throws Exception {
        FaultLog log = new FaultLog();
        if (settings.isolatedWorker()) {
            try {
                NetworkNamespace.create().close();
            } catch (RuntimeException e) {
                return new Outcome(scenario, new HistoryChecker().check(List.of(), List.of()), 0, -1, 0, true, true,
                        "skipped: " + e.getMessage());
            }
        }
        boolean drained;
        boolean produced;
        String parked = "";
        String stuck = "";
        try (Rig rig = Rig.start(settings, dir); ShutdownGuard ignored = new ShutdownGuard(rig)) {
            rig.startProducer();
            rig.awaitFlowing(Duration.ofSeconds(60));
            scenario.plan().inject(rig, log, settings.produceFor(), random);
            produced = rig.awaitProducer(Duration.ofSeconds(90));
            drained = rig.awaitDrained(Duration.ofSeconds(60));
            if (!drained) {
                stuck = rig.describeCounts();
            }
            if (!scenario.keysHeld().isEmpty()) {
                long n = rig.counts().parkedKeys();
                parked = n == scenario.keysHeld().size() ? "" : "expected " + scenario.keysHeld().size() + " parked key(s), saw " + n;
            }
            rig.stopWorkers();
        }
        Files.write(dir.resolve("faults.jsonl"), log.events().stream().map(e -> String.format(
                "{\"type\":\"fault\",\"name\":\"%s\",\"target\":\"%s\",\"pid\":%d,\"start\":%d,\"end\":%d}",
                e.name(), e.target(), e.pid(), e.startMono(), e.endMono())).toList());
        List<Submitted> submitted = HistoryFiles.submitted(List.of(dir.resolve("produced.jsonl")));
        List<Path> consumed = new ArrayList<>();
        try (var files = Files.list(dir)) {
            files.filter(f -> f.getFileName().toString().startsWith("consumed-")).forEach(consumed::add);
        }
        List<Run> runs = HistoryFiles.runs(consumed);
        Verdict v = new HistoryChecker(scenario.keysHeld()).check(submitted, runs);
        long recovery = RecoveryTimes.perFault(log.events(), submitted, runs).stream().mapToLong(Long::longValue).max()
                .orElse(-1);
        long bound = settings.recoveryBound().toMillis();
        List<String> problems = new ArrayList<>();
        if (!v.orderHeld()) {
            problems.add("order broken");
        }
        if (scenario.overlapFree() && v.keyOverlaps() > 0) {
            problems.add(v.keyOverlaps() + " runs of a key beside another");
        }
        if (v.lost() > 0 && !scenario.lossAllowed()) {
            problems.add(v.lost() + " lost");
        }
        if (scenario.bounded() && recovery > bound) {
            problems.add("recovery " + recovery + " ms > " + bound + " ms");
        }
        if (!produced) {
            problems.add("producer did not finish");
        }
        if (!drained) {
            problems.add("did not drain in 60 s (" + stuck + ")");
        }
        if (!parked.isEmpty()) {
            problems.add(parked);
        }
        if (v.submitted() == 0) {
            problems.add("nothing submitted");
        }
        return new Outcome(scenario, v, log.injected(), recovery, bound, drained, problems.isEmpty(), String.join("; ", problems));
    }

    /**
     * Closes a rig when this JVM is stopped (Ctrl-C, SIGTERM) while it runs: otherwise its gateway,
     * sweepers, producer, Redis and network namespace would outlive it. Removed when the rig
     * closes normally.
     */
    private static final class ShutdownGuard implements AutoCloseable {
        private final Thread hook;

        ShutdownGuard(Rig rig) {
            hook = new Thread(rig::close, "seriatim-faults-rig-stop");
            Runtime.getRuntime().addShutdownHook(hook);
        }

        @Override
        public void close() {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or about to: it closes the rig
            }
        }
    }
}
