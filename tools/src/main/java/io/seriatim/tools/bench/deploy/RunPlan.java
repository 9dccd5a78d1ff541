package io.seriatim.tools.bench.deploy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * What the bench client submits in one run, and so what the bench expects the handlers to have
 * run. Job {@code i} (from 0) goes to key {@code firstKey + i % keys} with seq {@code i / keys + 1}:
 * round robin over the keys, each key's seqs 1, 2, 3, ... in submit order. The run stops after
 * {@code jobs} jobs or after {@code length}, whichever comes first (0 / zero: no such limit).
 *
 * <p>Sent to the client process as one line on its stdin ({@link #toLine()}, {@link #parse}).
 *
 * @param firstKey     index of the run's first key; key {@code k} is named {@link #keyName(int) keyName(k)}
 * @param keys         how many keys, from {@code firstKey}
 * @param jobs         jobs to submit; 0 = until {@code length} is up
 * @param length       how long to submit; zero = until {@code jobs} are submitted
 * @param rate         jobs per second; 0 = flat out
 * @param payloadBytes each job's payload size, at least {@link JobPayload#MIN_BYTES}
 */
record RunPlan(int firstKey, int keys, long jobs, Duration length, int rate, int payloadBytes) {
    /** Key indexes stay below this: their names are all {@code "k"} and 7 digits. */
    static final int MAX_KEYS = 10_000_000;

    RunPlan {
        if (firstKey < 0 || keys < 1 || (long) firstKey + keys > MAX_KEYS) {
            throw new IllegalArgumentException("keys must be >= 1 from a first key >= 0, below " + MAX_KEYS + ", got "
                    + keys + " from " + firstKey);
        }
        if (jobs < 0 || length.isNegative() || (jobs == 0 && length.isZero())) {
            throw new IllegalArgumentException("a run needs a job count or a length, got " + jobs + " jobs, " + length);
        }
        if (jobs / keys >= Integer.MAX_VALUE || rate < 0 || payloadBytes < JobPayload.MIN_BYTES) {
            throw new IllegalArgumentException("bad run: " + jobs + " jobs over " + keys + " keys, rate " + rate
                    + ", payload " + payloadBytes + " B (at least " + JobPayload.MIN_BYTES + ")");
        }
    }

    /** The same run on the next {@code keys} keys: a warm run must not reuse the fresh run's keys. */
    RunPlan onNextKeys() {
        return from(firstKey + keys);
    }

    /** The same run from another first key. */
    RunPlan from(int first) {
        return new RunPlan(first, keys, jobs, length, rate, payloadBytes);
    }

    /**
     * {@code "k0000042"}: one length for every key, so that a run on higher keys (warm, or a later
     * scenario) stores exactly as many bytes per key as the first.
     */
    static String keyName(int index) {
        return String.format("k%07d", index);
    }

    int keyOf(long job) {
        return firstKey + (int) (job % keys);
    }

    int seqOf(long job) {
        return (int) (job / keys) + 1;
    }

    /** How many of {@code submitted} jobs went to key {@code key} (one of this run's). */
    long jobsOf(int key, long submitted) {
        return submitted / keys + (key - firstKey < submitted % keys ? 1 : 0);
    }

    boolean holds(int key) {
        return key >= firstKey && key - firstKey < keys;
    }

    String toLine() {
        return "run firstKey=" + firstKey + " keys=" + keys + " jobs=" + jobs + " millis=" + length.toMillis()
                + " rate=" + rate + " payload=" + payloadBytes;
    }

    static RunPlan parse(String line) {
        if (!line.startsWith("run ")) {
            throw new IllegalArgumentException("expected 'run k=v ...', got '" + line + "'");
        }
        Map<String, String> v = new HashMap<>();
        for (String part : line.substring(4).trim().split("\\s+")) {
            int eq = part.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("expected k=v, got '" + part + "' in '" + line + "'");
            }
            v.put(part.substring(0, eq), part.substring(eq + 1));
        }
        try {
            return new RunPlan(Integer.parseInt(v.get("firstKey")), Integer.parseInt(v.get("keys")),
                    Long.parseLong(v.get("jobs")), Duration.ofMillis(Long.parseLong(v.get("millis"))),
                    Integer.parseInt(v.get("rate")), Integer.parseInt(v.get("payload")));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad number in '" + line + "': " + e.getMessage());
        }
    }

    /** For the table: e.g. "1,000 keys × 200 jobs (100 B, ...), round robin, flat out". */
    String describe() {
        String what = jobs > 0 && jobs % keys == 0
                ? String.format("%,d keys × %,d job%s", keys, jobs / keys, jobs == keys ? "" : "s")
                : jobs > 0 ? String.format("%,d jobs over %,d keys", jobs, keys)
                : String.format("%,d keys, for %s", keys, length.toMillis() % 1000 == 0 ? length.toSeconds() + " s"
                        : length.toMillis() + " ms");
        return what + " (" + payloadBytes + " B, keys named k0000000...), round robin, " + (rate > 0 && jobs > 0
                ? String.format("paced at %,d/s for %.0f s", rate, jobs / (double) rate) : rate > 0 ? String.format("paced at %,d/s", rate)
                : "flat out");
    }
}
