package io.seriatim.tools.faults;

import io.seriatim.core.queue.QueueCounts;
import io.seriatim.verify.FaultEvent;
import io.seriatim.verify.HistoryBuckets;
import io.seriatim.verify.Verdict;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code seriatim faults --soak DURATION}: one rig for the whole duration, the producer at a fixed
 * rate all along, and every minute one fault drawn from the matrix (a shuffled deck, so each kind
 * comes once before any comes twice). Meanwhile the resident memory of every process and Redis's
 * data size are sampled; at the end the history, too large to hold at once, is checked key bucket
 * by key bucket (see docs/reliability.md, "The soak").
 *
 * <p>The calling thread does it all: it samples memory while it waits for the next fault, so
 * that no other thread touches the rig.
 */
final class Soak {
    /** Faults per period. */
    static final Duration PERIOD = Duration.ofMinutes(1);
    private static final int KEYS = 1000;
    private static final int BUCKETS = 128;
    private static final Duration SAMPLE_EVERY = Duration.ofSeconds(10);
    private static final Duration WARM_UP = Duration.ofMinutes(3);
    private static final Duration MIN_TREND = Duration.ofMinutes(10);

    /**
     * One kind of fault: an existing scenario's plan run for a phase short enough that it injects
     * once. {@code summarised}: the plan logs many small acts (operator acts) that count as one fault.
     */
    private record Kind(String name, FaultPlan plan, Duration phase, boolean summarised) {}

    private final Duration duration;
    private final int rate;
    private final PrintWriter out;

    Soak(Duration duration, int rate, PrintWriter out) {
        if (duration.compareTo(Duration.ofSeconds(10)) < 0) {
            throw new IllegalArgumentException("--soak must be at least 10s, got " + duration);
        }
        this.duration = duration;
        this.rate = rate;
        this.out = out;
    }

    /** What the soak found; {@code held} when nothing was lost or out of order and memory stayed flat. */
    record Outcome(Verdict verdict, Map<String, Long> timesByKind, Map<String, List<Long>> recoveriesByKind,
            List<MemorySamples.Fit> memory,
            boolean produced, boolean drained, boolean held, String note) {}

    Outcome run(Path dir, Random random) throws Exception {
        boolean canCut = canIsolate();
        RigSettings settings = new RigSettings(List.of("--appendfsync", "always"), 3, 2, List.of("--crash-on-signal"),
                Duration.ofSeconds(2), Duration.ofMillis(250), KEYS, rate, duration, 1, 3, canCut,
                RigSettings.Topology.STANDALONE, List.of());
        List<Kind> kinds = kinds(canCut);
        out.printf("soak: %s at %,d jobs/s over %,d keys, one fault per minute from %s%s%n", duration, rate, KEYS,
                kinds.stream().map(Kind::name).toList(), canCut ? "" : " (cut-worker left out: needs root and iproute2)");
        out.flush();
        FaultLog log = new FaultLog();
        Map<Integer, String> kindOfEvent = new TreeMap<>(); // index in log.events() -> kind, for recoveries per kind
        List<String> drawn = new ArrayList<>();
        MemorySamples memory = new MemorySamples();
        boolean produced;
        boolean drained;
        String stuck = "";
        try (Rig rig = Rig.start(settings, dir)) {
            rig.startProducer();
            rig.awaitFlowing(Duration.ofSeconds(60));
            long start = System.nanoTime();
            long[] nextSample = {System.nanoTime()};
            List<Kind> deck = new ArrayList<>();
            long periods = Math.max(1, duration.toNanos() / PERIOD.toNanos());
            for (long m = 0; m < periods; m++) {
                if (deck.isEmpty()) {
                    deck.addAll(kinds);
                    Collections.shuffle(deck, random);
                }
                Kind kind = deck.remove(0);
                long offset = Math.min(5_000 + random.nextInt(15_000), duration.toMillis() / 4);
                awaitSampling(rig, memory, start + m * PERIOD.toNanos() + TimeUnit.MILLISECONDS.toNanos(offset), nextSample);
                int before = log.events().size();
                if (kind.summarised()) {
                    long at = System.nanoTime();
                    kind.plan().inject(rig, new FaultLog(), kind.phase(), random);
                    log.record(kind.name(), FaultEvent.Target.REDIS, -1, at, System.nanoTime());
                } else {
                    kind.plan().inject(rig, log, kind.phase(), random);
                }
                for (int i = before; i < log.events().size(); i++) {
                    kindOfEvent.put(i, kind.name());
                }
                drawn.add(kind.name());
                progress(rig, m + 1, periods, kind.name(), start);
            }
            awaitSampling(rig, memory, start + duration.toNanos(), nextSample);
            produced = rig.awaitProducer(duration.plusMinutes(5));
            drained = rig.awaitDrained(Duration.ofMinutes(2));
            if (!drained) {
                stuck = rig.describeCounts();
            }
            rig.stopWorkers();
        }
        memory.write(dir.resolve("memory.csv"));
        List<FaultEvent> events = log.events();
        List<String> faultLines = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            FaultEvent e = events.get(i);
            faultLines.add(String.format("{\"type\":\"fault\",\"kind\":\"%s\",\"name\":\"%s\",\"target\":\"%s\",\"pid\":%d,"
                    + "\"start\":%d,\"end\":%d}", kindOfEvent.get(i), e.name(), e.target(), e.pid(), e.startMono(), e.endMono()));
        }
        Files.write(dir.resolve("faults.jsonl"), faultLines); // so that a check can be redone from the directory
        out.printf("soak: checking the history in %d key buckets...%n", BUCKETS);
        out.flush();
        List<Path> consumed = new ArrayList<>();
        try (var files = Files.list(dir)) {
            files.filter(f -> f.getFileName().toString().startsWith("consumed-")).sorted().forEach(consumed::add);
        }
        HistoryBuckets.Result checked = HistoryBuckets.check(List.of(dir.resolve("produced.jsonl")), consumed,
                log.events(), dir.resolve("buckets"), BUCKETS);
        Files.delete(dir.resolve("buckets"));
        Map<String, List<Long>> recoveries = new LinkedHashMap<>();
        drawn.stream().distinct().sorted().forEach(k -> recoveries.put(k, new ArrayList<>()));
        kindOfEvent.forEach((i, kind) -> recoveries.get(kind).add(checked.recoveries().get(i)));
        List<MemorySamples.Fit> fits = memory.fits(WARM_UP.toMillis(), MIN_TREND.toMillis());
        Verdict v = checked.verdict();
        List<String> problems = new ArrayList<>();
        if (!v.orderHeld()) {
            problems.add("order broken");
        }
        if (v.lost() > 0) {
            problems.add(v.lost() + " lost");
        }
        if (!produced) {
            problems.add("producer did not finish");
        }
        if (!drained) {
            problems.add("did not drain in 120 s (" + stuck + ")");
        }
        fits.stream().filter(f -> !f.flat()).forEach(f -> problems.add(String.format("%s (pid %d) grew %.1f MB/h",
                f.series(), f.pid(), f.mbPerHour())));
        Map<String, Long> times = new TreeMap<>();
        drawn.forEach(k -> times.merge(k, 1L, Long::sum));
        return new Outcome(v, times, recoveries, fits, produced, drained, problems.isEmpty(), String.join("; ", problems));
    }

    /** The matrix, as far as one standalone rig that lives through all of it can carry it. */
    private static List<Kind> kinds(boolean canCut) {
        List<Kind> kinds = new ArrayList<>(List.of(
                new Kind("kill-worker", FaultScenarios::killWorkers, Duration.ofSeconds(4), false),
                new Kind("crash-before-ack", FaultScenarios::crashWorkers, Duration.ofSeconds(4), false),
                new Kind("stop-worker", FaultScenarios::stopWorkers, Duration.ofSeconds(1), false),
                new Kind("slow-worker", FaultScenarios::starveWorker, Duration.ofSeconds(10), false),
                new Kind("kill-redis-always", FaultScenarios::killRedis, Duration.ofSeconds(5), false),
                new Kind("stop-redis", FaultScenarios::stopRedis, Duration.ofSeconds(1), false),
                new Kind("kill-gateway", FaultScenarios::killGateway, Duration.ofSeconds(4), false),
                new Kind("operator-acts", FaultScenarios::operatorActs, Duration.ofSeconds(10), true),
                new Kind("maxmemory", FaultScenarios::fillMemory, Duration.ofSeconds(5), false)));
        if (canCut) {
            kinds.add(new Kind("cut-worker", FaultScenarios::cutWorker, Duration.ofSeconds(1), false));
        }
        return kinds;
    }

    private static boolean canIsolate() {
        try {
            NetworkNamespace.create().close();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Waits until {@code until}, sampling memory every {@link #SAMPLE_EVERY} meanwhile. */
    private static void awaitSampling(Rig rig, MemorySamples memory, long until, long[] nextSample) {
        while (System.nanoTime() < until) {
            if (System.nanoTime() >= nextSample[0]) {
                long used;
                try {
                    used = rig.usedMemory();
                } catch (RuntimeException redisBusy) {
                    used = -1;
                }
                memory.sample(rig.processes(), rig.redis().pid(), used);
                nextSample[0] += SAMPLE_EVERY.toNanos();
            }
            sleepUntil(Math.min(until, nextSample[0]));
        }
    }

    private void progress(Rig rig, long m, long periods, String kind, long start) {
        String counts;
        try {
            QueueCounts c = rig.counts();
            long acked = c.counters().getOrDefault("acked", 0L);
            double seconds = (System.nanoTime() - start) / 1e9;
            counts = String.format("acked %,d (%,.0f/s since the first fault period), pending %,d, parked %d", acked,
                    acked / Math.max(1, seconds), c.pendingJobs(), c.parkedKeys());
        } catch (RuntimeException e) {
            counts = "counts unreadable: " + e.getMessage();
        }
        out.printf("soak %s: %d/%d %s; %s%n", LocalDateTime.now(java.time.ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS), m, periods, kind, counts);
        out.flush();
    }

    private static void sleepUntil(long nanos) {
        long left = nanos - System.nanoTime();
        if (left > 0) {
            Rig.sleep(left / 1_000_000);
        }
    }

    /** The report: one Markdown section, for the terminal and for --write. */
    String report(Outcome o, long seed, String command) throws IOException {
        Verdict v = o.verdict();
        StringBuilder b = new StringBuilder();
        b.append(String.format("Measured %s UTC with `%s` (seed %d) on %d cores.%n%n", LocalDateTime.now(java.time.ZoneOffset.UTC).truncatedTo(
                ChronoUnit.MINUTES), command, seed, Runtime.getRuntime().availableProcessors()));
        b.append("| held | submitted | acked | unknown (ran) | lost | unexpected | order violations | stale runs | "
                + "key overlaps (not judged) | duplicates (mean / max) |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        b.append(String.format("| %s | %,d | %,d | %,d (%,d) | %d | %d | %d | %d | %d | %.5f / %d |%n%n",
                o.held() ? "yes" : "**NO**: " + o.note(), v.submitted(), v.acknowledged(), v.submitted() - v.acknowledged(),
                v.unknownRan(), v.lost(), v.unexpected(), v.orderViolations(), v.staleRuns(), v.keyOverlaps(),
                v.distinctJobsRun() == 0 ? 0.0 : (double) v.duplicateRuns() / v.distinctJobsRun(), v.maxRunsOfAJob()));
        b.append("| fault | times | recovery ms, each |\n| --- | --- | --- |\n");
        o.recoveriesByKind().forEach((kind, r) -> b.append(String.format("| %s | %d | %s |%n", kind,
                o.timesByKind().get(kind), r.isEmpty() ? "not measured" : String.join(", ", r.stream()
                        .map(x -> x < 0 ? "-" : Long.toString(x)).toList()))));
        b.append("\n| memory series | pid | minutes fitted | first MB | last MB | slope MB/h | flat |\n");
        b.append("| --- | --- | --- | --- | --- | --- | --- |\n");
        for (MemorySamples.Fit f : o.memory()) {
            b.append(String.format("| %s | %d | %d | %.1f | %.1f | %+.2f | %s |%n", f.series(), f.pid(), f.minutes(),
                    f.firstBytes() / 1048576.0, f.lastBytes() / 1048576.0, f.mbPerHour(), f.flat() ? "yes" : "**NO**"));
        }
        if (o.memory().isEmpty()) {
            b.append("| (no process lived " + MIN_TREND.toMinutes() + " minutes past its " + WARM_UP.toMinutes()
                    + "-minute warm-up) | | | | | | |\n");
        }
        v.examples().forEach(e -> b.append("\n    ").append(e));
        return b.toString();
    }
}
