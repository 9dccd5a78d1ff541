package io.seriatim.tools.bench;

import io.seriatim.tools.bench.Scenarios.Result;
import io.seriatim.tools.bench.deploy.DeploymentBench;
import io.seriatim.tools.launch.ChildJvm;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code seriatim bench}: the benchmark scenarios, medians of several runs, correctness checked in
 * each. The deployment scenarios ({@code deploy-*}, {@link DeploymentBench}) come first: they are
 * what a user gets. The one-JVM scenarios ({@code lab}) follow, as secondary rows.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure Seriatim on this machine. First deployed as a user runs it (deploy-*: redis, gateway, worker processes,",
            "sweeper and client each a process of its own; fresh and warm figures apart), then the one-JVM lab scenarios",
            "(drain, submit, 1 ms handler, paced latency, mixed, claim cost). Each scenario runs --runs times; figures are medians.",
            "Every run checks per-key order and that nothing was lost: a fast wrong answer fails the run (exit 1)."})
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--runs", defaultValue = "3", description = "runs per scenario (default ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--warmups", defaultValue = "1", description = "lab scenarios: unrecorded runs per scenario first, while the JIT "
            + "compiles the hot paths (default ${DEFAULT-VALUE}; on 2 cores the compiler takes most of a core for ~20 s). "
            + "The deploy-* scenarios have none: their fresh row is that time, their warm row the run after it")
    int warmups;

    @Option(names = "--quick", description = "tiny sizes, one run: a smoke test of correctness, not a measurement")
    boolean quick;

    @Option(names = "--scenario", split = ",", description = "deploy (all of: deploy-dense, deploy-dense-preloaded, deploy-sparse, "
            + "deploy-sparse-preloaded, deploy-paced-2k, deploy-paced-10k, deploy-paced-50k, deploy-sleep, deploy-mixed); lab (all of: "
            + "redis (plain RPUSH, the yardstick), drain, submit, enqueue (submit's calls without gateway or client), sleep, "
            + "latency, mixed, claim; claim-10m only when named) (default: all). With --bullmq or --kafka a name also selects those systems' rows of it "
            + "(drain: bullmq-drain, kafka-drain, kafka-drain-plain); bullmq or kafka selects all of theirs (kafka: dense, drain, "
            + "sparse, paced, sleep, mixed); lab includes BullMQ's, deploy Kafka's")
    List<String> only;

    @Option(names = "--workers", defaultValue = "2", description = "worker processes in the deploy-* scenarios (default ${DEFAULT-VALUE})")
    int workers;

    @Option(names = "--cluster", description = "also run each deploy-* scenario on a local Redis Cluster of 3 masters "
            + "(no replicas, AOF everysec, started from redis-server), its runs alternating with the standalone Redis' in this "
            + "same run: rows for both, Redis CPU per master, and the ratio")
    boolean cluster;

    @Option(names = "--run-dir", description = "where the deploy-* scenarios' process logs go (default: a new directory in the temp dir)")
    Path runDir;

    @Option(names = "--bullmq", description = "also run BullMQ 6.7 (benchmarks/bullmq, needs node and npm) for drain, "
            + "submit and mixed, in this same run, for the ratios")
    boolean bullmq;

    @Option(names = "--bullmq-dir", description = "where benchmarks/bullmq is (default: found from the jar or the current directory)")
    Path bullmqDir;

    @Option(names = "--kafka", description = "also run Kafka 3.9 with Confluent's parallel-consumer (KEY order, concurrency 256) "
            + "and the plain consumer (benchmarks/kafka: a broker of its own; the first run downloads Kafka's jars) in the "
            + "deployment scenarios' shapes, in this same run, for the ratios")
    boolean kafka;

    @Option(names = "--kafka-dir", description = "where benchmarks/kafka is (default: found from the jar or the current directory)")
    Path kafkaDir;

    @Option(names = "--write", description = "also write the results as a Markdown table to this file")
    Path write;

    @Option(names = "--same-jvm", description = "run every scenario in this JVM (default: each in a fresh JVM of its own, "
            + "so that no scenario inherits another's heap or JIT profile; --quick always runs in this JVM)")
    boolean sameJvm;

    @Option(names = "--exact", hidden = true, description = "--scenario names one entry exactly (claim, not claim-large): "
            + "how a fresh JVM is told its one scenario")
    boolean exact;

    @Spec CommandSpec spec;

    /** A scenario: a name and how to run it once. */
    private interface Run {
        Result once() throws Exception;
    }

    @Override
    public Integer call() throws Exception {
        if (runs < 1 || warmups < 0) {
            throw new IllegalArgumentException("--runs must be >= 1 and --warmups >= 0, got " + runs + " and " + warmups);
        }
        if (workers < 1) {
            throw new IllegalArgumentException("--workers must be >= 1, got " + workers);
        }
        PrintWriter out = spec.commandLine().getOut();
        int n = quick ? 1 : runs;
        Map<String, Run> all = new LinkedHashMap<>();
        all.put("redis", () -> quick ? new Result("redis RPUSH -P 16", Map.of(), true, "skipped in --quick")
                : Scenarios.redisRpush());
        all.put("drain", () -> quick ? Scenarios.drain(50, 40, 100) : Scenarios.drain(1000, 200, 100));
        all.put("submit", () -> quick ? Scenarios.submit(50, 4000, 2) : Scenarios.submit(1000, 1_000_000, 2));
        all.put("enqueue", () -> quick ? Scenarios.enqueueDirect(50, 4000) : Scenarios.enqueueDirect(1000, 1_000_000));
        all.put("sleep", () -> quick ? Scenarios.sleepingHandler(100, 5) : Scenarios.sleepingHandler(10_000, 30));
        all.put("latency", () -> Scenarios.latency(quick ? 50 : 1000, quick ? 1000 : 10_000,
                Duration.ofSeconds(quick ? 1 : 5), Duration.ofSeconds(quick ? 2 : 10), 1));
        all.put("mixed", () -> Scenarios.latency(quick ? 50 : 1000, 0,
                Duration.ofSeconds(quick ? 1 : 5), Duration.ofSeconds(quick ? 2 : 10), 2));
        all.put("claim", () -> Scenarios.claimCost(1000));
        if (!quick) {
            all.put("claim-large", () -> Scenarios.claimCost(1_000_000));
        }
        if (!quick && only != null && only.contains("claim-10m")) {
            // Only when named: preloading 10M keys takes minutes per run and ~3 GB of Redis.
            all.put("claim-10m", () -> Scenarios.claimCost(10_000_000));
        }
        if (bullmq) {
            Path dir = bullmqDir != null ? bullmqDir : BullMqRun.locate();
            all.put("bullmq-drain", () -> BullMqRun.run(dir, "drain", "--queues", quick ? "50" : "1000",
                    "--jobs-per-queue", quick ? "40" : "200"));
            // 100 queues, not 1,000: addBulk takes one queue, so its chunks of 1,000 carry 10 jobs
            // per call instead of 1, BullMQ's better case.
            all.put("bullmq-submit", () -> BullMqRun.run(dir, "submit", "--queues", quick ? "50" : "100",
                    "--jobs-per-queue", quick ? "80" : "2000"));
            all.put("bullmq-mixed", () -> BullMqRun.run(dir, "mixed", "--queues", quick ? "50" : "1000",
                    "--seconds", quick ? "2" : "10"));
        }
        if (kafka) {
            Path dir = kafkaDir != null ? kafkaDir : KafkaRun.locate();
            // The deployment bench's shapes (run.sh's defaults; --quick its tiny sizes). Each run is
            // a new broker and JVM, measured twice in them: the fresh pass, then the warm one.
            String[] size = quick ? new String[] {"--quick"} : new String[0];
            all.put("kafka-dense", () -> KafkaRun.run(dir, "dense", "dense", size));
            all.put("kafka-drain", () -> KafkaRun.run(dir, "drain", "drain", size));
            all.put("kafka-drain-plain", () -> KafkaRun.plain(dir, "drain", size));
            all.put("kafka-sparse", () -> KafkaRun.run(dir, "sparse", "sparse", size));
            all.put("kafka-paced-10k", () -> KafkaRun.run(dir, "paced@" + (quick ? 1000 : 10_000) + "/s", "paced",
                    with(size, "--rate", quick ? "1000" : "10000")));
            all.put("kafka-paced-50k", () -> KafkaRun.run(dir, "paced@" + (quick ? 2000 : 50_000) + "/s", "paced",
                    with(size, "--rate", quick ? "2000" : "50000", "--seconds", quick ? "2" : "20")));
            all.put("kafka-sleep", () -> KafkaRun.run(dir, "sleep-1ms", "sleep", size));
            all.put("kafka-mixed", () -> KafkaRun.run(dir, "mixed", "mixed", size));
        }
        List<String> deployNames = DeploymentBench.names();
        if (only != null) {
            List<String> unknown = only.stream().filter(name -> !name.equals("lab") && !name.equals("deploy")
                    && !deployNames.contains(name) && all.keySet().stream().noneMatch(k -> selects(name, k))).toList();
            if (!unknown.isEmpty()) {
                throw new IllegalArgumentException("unknown scenario(s) " + unknown
                        + "; known: deploy (" + String.join(", ", deployNames)
                        + "), lab (redis, drain, submit, enqueue, sleep, latency, mixed, claim)"
                        + (bullmq || kafka ? ", bullmq, kafka and the names after them in " + all.keySet() : ""));
            }
        }
        boolean allOk = true;
        // A child JVM of the lab (--exact) runs its one lab scenario only.
        List<String> deploySelected = exact ? List.of() : deployNames.stream()
                .filter(name -> only == null || only.contains(name) || only.contains("deploy")).toList();
        List<String> deployTable = List.of();
        if (!deploySelected.isEmpty()) {
            DeploymentBench deployment = new DeploymentBench(quick, n, workers, cluster,
                    runDir != null ? Files.createDirectories(runDir) : Files.createTempDirectory("seriatim-bench-"), out);
            allOk &= deployment.run(deploySelected);
            deployTable = deployment.table();
        }
        List<String> lines = new ArrayList<>();
        List<String> others = new ArrayList<>();
        for (var e : all.entrySet()) {
            // Another system's runs are processes of their own (run.sh starts them anew each time): no
            // child JVM for them, no warm-up runs (which would warm nothing the next run keeps), and
            // a table of their own, apart from the one-JVM lab's.
            boolean external = e.getKey().matches("(bullmq|kafka)-.*");
            if (only != null && exact && !only.contains(e.getKey())) {
                continue;
            }
            if (only != null && only.stream().noneMatch(name -> selects(name, e.getKey()))) {
                continue;
            }
            if (!quick && !sameJvm && !external) {
                boolean ok = inFreshJvm(e.getKey(), lines, out);
                allOk &= ok;
                continue;
            }
            for (int i = 0; i < (quick || external ? 0 : warmups); i++) {
                Result r = e.getValue().once();
                out.printf("  %s warm-up %d: %s%s%n", r.scenario(), i + 1, r.figures(), r.ok() ? "" : "  FAILED: " + r.note());
                out.flush();
                allOk &= r.ok();
            }
            List<Result> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Result r = e.getValue().once();
                results.add(r);
                out.printf("  %s run %d: %s%s%n", r.scenario(), i + 1, r.figures(), r.ok() ? "" : "  FAILED: " + r.note());
                out.flush();
            }
            boolean ok = results.stream().allMatch(Result::ok);
            allOk &= ok;
            Map<String, Double> medians = new TreeMap<>();
            for (String figure : results.getFirst().figures().keySet()) {
                // A failed run of another system has no figures at all.
                List<Double> values = results.stream().map(r -> r.figures().get(figure)).filter(Objects::nonNull).sorted().toList();
                medians.put(figure, values.get(values.size() / 2));
            }
            String line = String.format("| %s | %s | %d | %s | %s |", results.getFirst().scenario(), format(medians), n,
                    ok ? "yes" : "**NO**", results.getLast().note());
            (external ? others : lines).add(line);
            out.println(line);
            out.flush();
        }
        String labHeader = "| scenario | medians | runs | correct | last run |\n| --- | --- | --- | --- | --- |\n";
        if (!deployTable.isEmpty()) {
            out.println();
            out.println("Deployment: each part a process of its own (medians of " + n + " run(s) in new processes each)");
            out.println();
            deployTable.forEach(out::println);
            out.println();
            out.print(DeploymentBench.LEGEND);
        }
        if (!quick && !sameJvm && lines.size() > 1) {
            out.println();
            out.println("One JVM (lab):");
            out.println();
            out.print(labHeader);
            lines.forEach(out::println);
        }
        String othersTitle = "Other systems on this machine in the same run (each run its own server and processes; "
                + "kafka: fresh = first pass, plain = second):";
        if (!quick && others.size() > 1) {
            out.println();
            out.println(othersTitle);
            out.println();
            out.print(labHeader);
            others.forEach(out::println);
        }
        // Not in a child JVM (--exact): its one row pairs with nothing, and its parent reads every
        // "| " line it writes as a row.
        List<String> rows = new ArrayList<>(deployTable);
        rows.addAll(lines);
        rows.addAll(others);
        List<String> ratios = exact ? List.of() : Ratios.of(rows);
        String ratioTable = ratios.isEmpty() ? "" : "Ratios from this run (Seriatim's figure ÷ the other system's):\n\n"
                + "| rows | figure | ratio |\n| --- | --- | --- |\n" + String.join("\n", ratios) + "\n";
        if (!ratios.isEmpty()) {
            out.println();
            out.print(ratioTable);
            out.flush();
        }
        if (write != null) {
            StringBuilder md = new StringBuilder("Measured " + LocalDate.now(java.time.ZoneId.systemDefault()) + " with `./seriatim bench"
                    + (quick ? " --quick" : " --runs " + n + " --warmups " + warmups)
                    + (only != null ? " --scenario " + String.join(",", only) : "") + (workers != 2 ? " --workers " + workers : "")
                    + (kafka ? " --kafka" : "") + (bullmq ? " --bullmq" : "")
                    + "` on " + Runtime.getRuntime().availableProcessors() + " cores, Java " + Runtime.version() + ".\n\n");
            if (!deployTable.isEmpty()) {
                md.append("Deployment: each part a process of its own (medians of ").append(n)
                        .append(" run(s) in new processes each)\n\n").append(String.join("\n", deployTable)).append("\n\n")
                        .append(DeploymentBench.LEGEND).append("\n");
            }
            if (!lines.isEmpty()) {
                md.append("One JVM (lab; `--warmups` unrecorded runs first):\n\n").append(labHeader)
                        .append(String.join("\n", lines)).append("\n");
            }
            if (!others.isEmpty()) {
                md.append("\n").append(othersTitle).append("\n\n").append(labHeader).append(String.join("\n", others)).append("\n");
            }
            if (!ratios.isEmpty()) {
                md.append("\n").append(ratioTable);
            }
            Files.writeString(write, md.toString());
        }
        return allOk ? 0 : 1;
    }

    /**
     * Runs one scenario as {@code seriatim bench --same-jvm --scenario <name>} in a child JVM (its
     * output goes straight through) and takes its table line. Run in one JVM, the submit
     * scenario measured a third slower after drain than alone, and one latency run in three
     * had a p99 twenty times the others': the heap and type profiles earlier scenarios leave.
     */
    private boolean inFreshJvm(String scenario, List<String> lines, PrintWriter out) throws Exception {
        Path table = Files.createTempFile("seriatim-bench-", ".md");
        try {
            List<String> command = new ArrayList<>(ChildJvm.command(
                    ManagementFactory.getRuntimeMXBean().getInputArguments(), ChildJvm.TOOLS_MAIN, List.of("bench",
                    "--same-jvm", "--exact", "--scenario", scenario, "--runs", Integer.toString(runs),
                    "--warmups", Integer.toString(warmups), "--write", table.toString())));
            if (bullmq) {
                command.add("--bullmq");
                if (bullmqDir != null) {
                    command.addAll(List.of("--bullmq-dir", bullmqDir.toString()));
                }
            }
            out.flush();
            int exit = new ProcessBuilder(command).inheritIO().start().waitFor();
            List<String> rows = Files.readAllLines(table).stream().filter(l -> l.startsWith("| ") && !l.startsWith("| scenario") && !l.startsWith("| ---")).toList();
            if (rows.isEmpty()) {
                String line = "| " + scenario + " | | | **NO** | its JVM exited " + exit + " without a result |";
                out.println(line);
                lines.add(line);
                return false;
            }
            lines.addAll(rows);
            return exit == 0;
        } finally {
            Files.deleteIfExists(table);
        }
    }

    /**
     * Whether {@code --scenario name} selects the entry {@code key}: its name or its family (claim
     * selects claim-large), or those of the name after another system's prefix (drain selects
     * bullmq-drain, kafka-drain and kafka-drain-plain; kafka selects every kafka-*). lab selects
     * BullMQ's rows too, as before; deploy selects Kafka's, which have the deployment bench's shapes.
     */
    private static boolean selects(String name, String key) {
        String own = key.replaceFirst("^(bullmq|kafka)-", "");
        return name.equals(key) || name.equals(key.replaceFirst("-.*", "")) || name.equals(own)
                || name.equals(own.replaceFirst("-.*", "")) || name.equals(key.startsWith("kafka-") ? "deploy" : "lab");
    }

    private static String[] with(String[] first, String... more) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    private static String format(Map<String, Double> figures) {
        List<String> parts = new ArrayList<>();
        figures.forEach((k, v) -> parts.add(k + " " + (v >= 100 ? String.format("%,.0f", v) : String.format("%.3f", v))));
        return String.join(", ", parts);
    }
}
