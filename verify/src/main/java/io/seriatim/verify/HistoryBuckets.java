package io.seriatim.verify;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Checks a history too large to hold in memory at once (a soak writes tens of millions of
 * lines): splits the files by key into buckets on disk, checks each bucket with
 * {@link HistoryChecker} and adds the verdicts up. Every figure of the checker is per key, and a
 * key lies in one bucket only, so the sums are what one check of the whole history would give.
 */
public final class HistoryBuckets {
    private static final String KEY_FIELD = "\"key\":\"";

    private HistoryBuckets() {}

    /** The verdict over every bucket, and per fault its recovery (as {@link RecoveryTimes#perFault}). */
    public record Result(Verdict verdict, List<Long> recoveries) {}

    /**
     * Splits {@code produced} and {@code consumed} into {@code buckets} pairs of files under
     * {@code work} (removed after), checks each pair, and combines. Lines are kept in file order
     * within a bucket, so a run and its end still pair up.
     */
    public static Result check(List<Path> produced, List<Path> consumed, List<FaultEvent> faults, Path work, int buckets) {
        if (buckets < 1) {
            throw new IllegalArgumentException("buckets must be >= 1, got " + buckets);
        }
        try {
            Files.createDirectories(work);
            List<Path> producedParts = split(produced, work, "produced-", buckets);
            List<Path> consumedParts = split(consumed, work, "consumed-", buckets);
            // Buckets are checked on every core at once: apart, they share nothing.
            List<Future<Result>> parts = new ArrayList<>();
            ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors()));
            try {
                for (int b = 0; b < buckets; b++) {
                    Path p = producedParts.get(b);
                    Path c = consumedParts.get(b);
                    parts.add(pool.submit(() -> checkOne(p, c, faults)));
                }
            } finally {
                pool.shutdown();
            }
            Verdict total = null;
            List<Long> recoveries = new ArrayList<>();
            for (Future<Result> f : parts) {
                Result part = join(f);
                total = total == null ? part.verdict() : add(total, part.verdict());
                for (int i = 0; i < faults.size(); i++) {
                    long r = part.recoveries().get(i);
                    if (recoveries.size() <= i) {
                        recoveries.add(r);
                    } else {
                        recoveries.set(i, combine(faults.get(i).target(), recoveries.get(i), r));
                    }
                }
            }
            return new Result(total, List.copyOf(recoveries));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot split the history into " + work, e);
        }
    }

    private static Result checkOne(Path produced, Path consumed, List<FaultEvent> faults) throws IOException {
        List<Submitted> submitted = HistoryFiles.submitted(List.of(produced));
        List<Run> runs = HistoryFiles.runs(List.of(consumed));
        Result r = new Result(new HistoryChecker().check(submitted, runs), RecoveryTimes.perFault(faults, submitted, runs));
        Files.delete(produced);
        Files.delete(consumed);
        return r;
    }

    private static Result join(Future<Result> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking the history", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException("checking a bucket of the history failed: " + e.getCause(), e.getCause());
        }
    }

    /**
     * A worker fault's recovery is the slowest takeover of its keys: the largest over buckets.
     * A Redis or gateway fault's is the first run (or ack) after it anywhere: the smallest found.
     */
    private static long combine(FaultEvent.Target target, long a, long b) {
        if (a < 0 || b < 0) {
            return Math.max(a, b);
        }
        return target == FaultEvent.Target.WORKER ? Math.max(a, b) : Math.min(a, b);
    }

    static Verdict add(Verdict a, Verdict b) {
        List<String> examples = new ArrayList<>(a.examples());
        b.examples().stream().limit(Math.max(0, 10 - examples.size())).forEach(examples::add);
        return new Verdict(a.submitted() + b.submitted(), a.acknowledged() + b.acknowledged(), a.runs() + b.runs(),
                a.distinctJobsRun() + b.distinctJobsRun(), a.keys() + b.keys(), a.lost() + b.lost(),
                a.heldBack() + b.heldBack(), a.unexpected() + b.unexpected(), a.orderViolations() + b.orderViolations(),
                a.staleRuns() + b.staleRuns(), a.unknownRan() + b.unknownRan(), a.duplicateRuns() + b.duplicateRuns(),
                Math.max(a.maxRunsOfAJob(), b.maxRunsOfAJob()), a.keyOverlaps() + b.keyOverlaps(), List.copyOf(examples));
    }

    private static List<Path> split(List<Path> files, Path work, String name, int buckets) throws IOException {
        List<Path> parts = new ArrayList<>();
        List<BufferedWriter> writers = new ArrayList<>();
        try {
            for (int b = 0; b < buckets; b++) {
                Path part = work.resolve(name + b + ".jsonl");
                parts.add(part);
                writers.add(Files.newBufferedWriter(part, StandardCharsets.UTF_8));
            }
            for (Path file : files) {
                if (!Files.exists(file)) {
                    continue; // a worker that never started wrote nothing
                }
                try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        String key = keyOf(line);
                        if (key != null) {
                            BufferedWriter w = writers.get(Math.floorMod(key.hashCode(), buckets));
                            w.write(line);
                            w.newLine();
                        }
                    }
                }
            }
        } finally {
            for (BufferedWriter w : writers) {
                w.close();
            }
        }
        return parts;
    }

    /** The key of a history line, or null for a line without one (a torn line is passed on: the reader skips it). */
    private static String keyOf(String line) {
        int at = line.indexOf(KEY_FIELD);
        if (at < 0) {
            return null;
        }
        int from = at + KEY_FIELD.length();
        int to = line.indexOf('"', from);
        return to < 0 ? null : line.substring(from, to);
    }
}
