package io.seriatim.tools.bench.deploy;

import io.seriatim.tools.bench.deploy.Deployment.Topology;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The benchmark's headline: Seriatim deployed as a user deploys it, each part a process of its
 * own ({@link Deployment}), in every {@link DeployScenario}. Each scenario runs {@code runs} times,
 * each time in newly started processes, fresh and then warm; the table holds the medians, and the
 * jobs/s of every run.
 *
 * <p>Runs on the caller's thread, one scenario at a time; the processes it starts are stopped
 * when each scenario ends, fails, or the JVM exits.
 */
public final class DeploymentBench {
    /** What every figure in the table is; printed under it. */
    public static final String LEGEND = """
            How to read the deployment table:
            - Every process is started as a user starts it: `java --enable-native-access=ALL-UNNAMED -jar seriatim.jar redis|gateway|worker|sweeper ...`, \
            the workers running the bench's RecordingHandler loaded from seriatim-tools.jar with `--handler ... --classpath`, \
            and the client (one `Producer`, the product's defaults) in its own JVM. All on this host, over loopback.
            - fresh: the first run in newly started processes (JIT compiling, cold caches). warm: a second run in the same processes, on new keys.
            - jobs/s: submit and drain at once: jobs / (the client's first submit until Redis counts every job acknowledged and none pending). \
            submit only: jobs / (first submit until the gateway's last answer), the namespace paused, nothing consumed. \
            drain: jobs / (resume until every job is acknowledged). The end is seen by polling the counters every 10 ms: up to 10 ms late.
            - submit → start: the client's System.nanoTime() at the submit call (carried in the payload) to the handler's at its start, \
            the same clock (CLOCK_MONOTONIC, one host); p50 / p99 / p99.9 of every job. Paced rows: the first seconds apart (JIT), then the rest; \
            'client lag' is how far the client fell behind its schedule (latency is from the actual submit call). Preloaded drains have none \
            (the job waited for the resume).
            - CPU µs/job: utime+stime from /proc/<pid>/stat of each process (clock ticks of 10 ms) over the measured window / jobs; \
            redis is the redis-server process; bench is this process, which polls Redis meanwhile.
            - script calls/job: Redis INFO commandstats EVALSHA+EVAL+FCALL calls over the window / jobs; script loads: SCRIPT LOAD calls.
            - B/pending job: Redis used_memory after the paused submit minus before, / pending jobs, minus the 100 B payload; \
            it includes what the gateway keeps per submit for dedup.
            - correct: every key's handler runs, merged from all workers and sorted by start time, are exactly seq 1..M: \
            no job lost, none run twice, none out of order; all keys checked.
            """;

    private static final List<String> HEADER = List.of(
            "| scenario | run | jobs/s | submit → handler start | CPU µs per job | Redis per job | correct | runs | parameters |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- |");

    private final boolean quick;
    private final int runs;
    private final int workers;
    private final List<Topology> topologies;
    private final Path runDir;
    private final PrintWriter out;
    private final List<String> table = new ArrayList<>();

    /**
     * @param runs    times each scenario runs, each in new processes; medians are reported
     * @param workers worker processes per scenario
     * @param cluster also run every scenario on a local Redis Cluster of three masters, beside the standalone Redis
     * @param runDir  where every process's log goes (a directory per scenario and run)
     */
    public DeploymentBench(boolean quick, int runs, int workers, boolean cluster, Path runDir, PrintWriter out) {
        if (runs < 1 || workers < 1) {
            throw new IllegalArgumentException("--runs and --workers must be >= 1, got " + runs + " and " + workers);
        }
        this.topologies = cluster ? List.of(Topology.STANDALONE, Topology.CLUSTER) : List.of(Topology.STANDALONE);
        this.quick = quick;
        this.runs = runs;
        this.workers = workers;
        this.runDir = runDir;
        this.out = out;
    }

    /** Every deployment scenario's name, for {@code --scenario}. */
    public static List<String> names() {
        return DeployScenario.all(true, 2, List.of(Topology.STANDALONE)).stream().map(DeployScenario::name).toList();
    }

    /**
     * Runs the named scenarios; false if any run failed or was wrong. Each scenario gets processes
     * of its own for each of its runs, except with --quick: there the scenarios of one shape share
     * one set of processes (a smoke test of correctness, which would otherwise spend most of its
     * time starting JVMs), and their rows say "shared".
     */
    public boolean run(List<String> names) throws Exception {
        Launch launch = Launch.locate();
        ProcCpu cpu = ProcCpu.open();
        Duration stall = Duration.ofSeconds(30);
        out.println("deployment bench: logs of every process in " + runDir);
        out.flush();
        List<DeployScenario> chosen = DeployScenario.all(quick, workers, topologies).stream()
                .filter(s -> names.contains(s.name())).toList();
        // Runs of one set alternate (run 1 of each, then run 2 of each, ...) so that the machine's
        // drift falls on every topology alike: the ratio between them is what is reported.
        List<List<List<DeployScenario>>> sets = quick
                ? chosen.stream().collect(Collectors.groupingBy(s -> List.of(s.shape(), s.topology()), LinkedHashMap::new,
                        Collectors.toList())).values().stream().map(List::of).toList()
                : chosen.stream().collect(Collectors.groupingBy(DeployScenario::name, LinkedHashMap::new,
                        Collectors.mapping(List::of, Collectors.toList()))).values().stream().toList();
        boolean ok = true;
        for (List<List<DeployScenario>> set : sets) {
            Map<String, List<List<Row>>> repetitions = new LinkedHashMap<>();
            for (int i = 1; i <= runs; i++) {
                for (List<DeployScenario> group : set) {
                    DeployScenario first = group.getFirst();
                    String name = first.name() + (group.size() > 1 ? "-and-" + (group.size() - 1) + "-more" : "")
                            + (first.topology() == Topology.CLUSTER ? "-cluster" : "");
                    Path dir = Files.createDirectories(runDir.resolve(name + "-" + i));
                    Map<String, List<Row>> rows = runGroup(launch, cpu, stall, group, dir, i);
                    for (var e : rows.entrySet()) {
                        repetitions.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue());
                        for (Row r : e.getValue()) {
                            out.println("    " + line(r, "1"));
                            ok &= r.correct();
                        }
                    }
                    out.flush();
                }
            }
            repetitions.values().forEach(reps -> table.addAll(medianLines(reps)));
        }
        return ok;
    }

    /** One run of a group of scenarios in one set of new processes: each scenario's rows, by name. */
    private Map<String, List<Row>> runGroup(Launch launch, ProcCpu cpu, Duration stall, List<DeployScenario> group,
            Path dir, int run) throws InterruptedException {
        String names = group.stream().map(DeployScenario::name).collect(Collectors.joining(", "));
        boolean cluster = group.getFirst().topology() == Topology.CLUSTER;
        out.printf("  %s%s, run %d of %d: starting %d processes (logs in %s)%n", names, cluster ? " on a 3-master cluster" : "",
                run, runs, workers + (cluster ? 7 : 5), dir);
        out.flush();
        Map<String, List<Row>> rows = new LinkedHashMap<>();
        long starting = System.nanoTime();
        try (Deployment d = Deployment.start(launch, group.getFirst().shape(), group.getFirst().topology(), dir,
                Duration.ofSeconds(60))) {
            out.printf("    every process serving after %.1f s%n", (System.nanoTime() - starting) / 1e9);
            out.flush();
            List<ScenarioRun> measured = new ArrayList<>();
            for (DeployScenario s : group) {
                ScenarioRun r = new ScenarioRun(s, d, cpu, stall);
                r.measure(measured.isEmpty());
                measured.add(r);
            }
            Runs all = d.stopWorkers();
            long strays = RunRecords.strays(all, measured.stream().flatMap(r -> r.plans().stream()).toList());
            for (int i = 0; i < group.size(); i++) {
                rows.put(group.get(i).title(), measured.get(i).rows(all, strays));
            }
            if (rows.values().stream().flatMap(List::stream).allMatch(Row::correct)) {
                d.deleteRecords();
            }
        } catch (RuntimeException | java.io.IOException e) {
            String why = e.getMessage() != null ? e.getMessage() : e.toString();
            out.println("  " + names + " FAILED: " + why);
            for (DeployScenario s : group) {
                rows.put(s.title(), List.of(new Row(s.title(), "fresh, warm", Map.of(), false,
                        "FAILED: " + why.lines().findFirst().orElse("") + " (" + dir + ")", s.parameters())));
            }
        }
        return rows;
    }

    /** The table of what {@link #run} measured: medians over the runs of each scenario. */
    public List<String> table() {
        List<String> lines = new ArrayList<>(HEADER);
        lines.addAll(table);
        return lines;
    }

    /** One line per row of the first run, with every figure the median of the runs' (a failed run has none). */
    private static List<String> medianLines(List<List<Row>> repetitions) {
        Map<String, List<Row>> byRow = new LinkedHashMap<>();
        for (List<Row> rep : repetitions) {
            for (Row r : rep) {
                byRow.computeIfAbsent(r.scenario() + "\u0000" + r.phase(), k -> new ArrayList<>()).add(r);
            }
        }
        List<String> lines = new ArrayList<>();
        for (List<Row> same : byRow.values()) {
            Map<String, Double> medians = new LinkedHashMap<>();
            for (Row r : same) {
                for (String name : r.figures().keySet()) {
                    medians.computeIfAbsent(name, n -> median(same.stream().filter(x -> x.figures().containsKey(n))
                            .map(x -> x.figures().get(n)).toList()));
                }
            }
            Row first = same.getFirst();
            Row wrong = same.stream().filter(r -> !r.correct()).findFirst().orElse(null);
            Row median = new Row(first.scenario(), first.phase(), medians, wrong == null,
                    wrong == null ? first.verdict() : wrong.verdict(), first.parameters());
            String each = same.stream().filter(r -> r.figures().containsKey("jobs/s"))
                    .map(r -> String.format("%,.0f", r.figures().get("jobs/s"))).collect(Collectors.joining(", "));
            lines.add(line(median, same.size() + (same.size() > 1 ? " (" + each + " jobs/s)" : "")));
        }
        return lines;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static String line(Row r, String runs) {
        Map<String, Double> f = r.figures();
        return "| " + r.scenario() + " | " + r.phase() + " | " + (f.containsKey("jobs/s") ? bold(number(f.get("jobs/s"))) : "")
                + " | " + latency(f) + " | " + cpu(f) + " | " + redis(f) + " | "
                + (r.correct() ? "yes" : "**NO**") + ": " + r.verdict() + " | " + runs + " | " + r.parameters() + " |";
    }

    private static String latency(Map<String, Double> f) {
        List<String> parts = new ArrayList<>();
        if (f.containsKey("head p50 ms")) {
            parts.add(String.format("first %s s: ", new java.text.DecimalFormat("0.#").format(f.get("head s")))
                    + percentiles(f, "head "));
            parts.add("after: " + percentiles(f, ""));
            parts.add(String.format("client lag ≤ %.1f ms", f.get("client lag ms")));
        } else if (f.containsKey("p50 ms")) {
            parts.add(percentiles(f, ""));
        }
        if (f.containsKey("submitted/s")) {
            parts.add(String.format("while submitting: %,.0f submitted/s, %,.0f consumed/s", f.get("submitted/s"),
                    f.get("consumed/s while submitting")));
        }
        return String.join("; ", parts);
    }

    private static String percentiles(Map<String, Double> f, String prefix) {
        return String.format("p50 %s / p99 %s / p99.9 %s ms", ms(f.get(prefix + "p50 ms")), ms(f.get(prefix + "p99 ms")),
                ms(f.get(prefix + "p99.9 ms")));
    }

    private static String cpu(Map<String, Double> f) {
        if (!f.containsKey("cpu total")) {
            return "";
        }
        List<String> workers = new ArrayList<>();
        List<String> masters = new ArrayList<>();
        f.forEach((k, v) -> {
            if (k.startsWith("cpu worker-")) {
                workers.add(String.format("%.1f", v));
            } else if (k.startsWith("cpu redis-")) {
                masters.add(String.format("%.1f", v));
            }
        });
        String redis = String.format("%.1f", f.get("cpu redis")) + (masters.isEmpty() ? "" : " (" + String.join(" + ", masters) + ")");
        return String.format("client %.1f, gateway %.1f, workers %.1f (%s), sweeper %.1f, redis %s, bench %.1f; total %.1f",
                f.get("cpu client"), f.get("cpu gateway"), f.get("cpu workers"), String.join(" + ", workers),
                f.get("cpu sweeper"), redis, f.get("cpu bench"), f.get("cpu total"));
    }

    private static String redis(Map<String, Double> f) {
        if (!f.containsKey("script calls/job")) {
            return "";
        }
        String s = String.format("%.3f script calls, %.4f script loads", f.get("script calls/job"), f.get("script loads/job"));
        return f.containsKey("B/pending job") ? s + String.format("; %.1f B/pending job over payload", f.get("B/pending job")) : s;
    }

    private static String ms(double v) {
        return v >= 100 ? String.format("%,.0f", v) : v >= 10 ? String.format("%.1f", v) : String.format("%.2f", v);
    }

    private static String number(double v) {
        return String.format("%,.0f", v);
    }

    private static String bold(String s) {
        return "**" + s + "**";
    }
}
