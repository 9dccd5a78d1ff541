package io.seriatim.tools.bench.deploy;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * One run's handler records, taken from all worker processes' {@link Runs} by the run's keys, and
 * checked against what the client submitted: per key, the runs sorted by handler start time must
 * be exactly seq 1, 2, ..., M, M the jobs submitted to the key. A missing seq is a lost job, a seq
 * run twice a duplicate, a seq before a smaller one an inversion; each makes the key wrong. Every
 * key of the run is checked, not a sample.
 *
 * <p>Also the latencies, submit call to handler start, in microseconds, of all runs and of those
 * submitted in the run's first {@code head} nanoseconds and after.
 *
 * @param keys        the run's keys
 * @param expected    jobs submitted
 * @param runs        handler runs recorded for the run's keys
 * @param wrongKeys   keys whose runs were not exactly 1..M
 * @param lost        jobs that never ran
 * @param duplicates  runs of a job that had run already
 * @param inversions  runs that started after a run of a later seq of their key
 * @param startedBy   runs that started no later than the {@code cut} given (e.g. the last submit)
 */
record RunRecords(long keys, long expected, long runs, long wrongKeys, long lost, long duplicates, long inversions,
        long startedBy, Histogram latency, Histogram head, Histogram rest) {

    boolean correct() {
        return wrongKeys == 0 && runs == expected;
    }

    String verdict() {
        return correct() ? String.format("%,d/%,d jobs, all %,d keys in order", runs, expected, keys)
                : String.format("%,d runs of %,d jobs; %,d keys wrong: %,d lost, %,d duplicates, %,d inversions",
                        runs, expected, wrongKeys, lost, duplicates, inversions);
    }

    static RunRecords check(Runs all, RunPlan plan, long submitted, long firstNanos, long headNanos, long cut) {
        int keys = plan.keys();
        // Bucket the run's records by key (a counting sort), then sort each key's by start time.
        int[] count = new int[keys + 1];
        for (int i = 0; i < all.size(); i++) {
            if (plan.holds(all.keys()[i])) {
                count[all.keys()[i] - plan.firstKey() + 1]++;
            }
        }
        for (int k = 0; k < keys; k++) {
            count[k + 1] += count[k];
        }
        int runs = count[keys];
        Integer[] byKey = new Integer[runs];
        int[] fill = count.clone();
        Histogram latency = new Histogram(3);
        Histogram head = new Histogram(3);
        Histogram rest = new Histogram(3);
        long startedBy = 0;
        for (int i = 0; i < all.size(); i++) {
            if (plan.holds(all.keys()[i])) {
                byKey[fill[all.keys()[i] - plan.firstKey()]++] = i;
                long micros = Math.max(0, (all.starts()[i] - all.submits()[i]) / 1000);
                latency.recordValue(micros);
                (all.submits()[i] - firstNanos < headNanos ? head : rest).recordValue(micros);
                if (all.starts()[i] <= cut) {
                    startedBy++;
                }
            }
        }
        Comparator<Integer> byStart = Comparator.comparingLong(i -> all.starts()[i]);
        long wrongKeys = 0;
        long lost = 0;
        long duplicates = 0;
        long inversions = 0;
        for (int k = 0; k < keys; k++) {
            Integer[] mine = Arrays.copyOfRange(byKey, count[k], count[k + 1]);
            Arrays.sort(mine, byStart);
            long m = plan.jobsOf(plan.firstKey() + k, submitted);
            boolean exact = mine.length == m;
            boolean[] seen = new boolean[(int) m + 1];
            int highest = 0;
            for (int j = 0; j < mine.length; j++) {
                int seq = all.seqs()[mine[j]];
                exact &= seq == j + 1;
                if (seq >= 1 && seq <= m && seen[seq]) {
                    duplicates++;
                } else if (seq >= 1 && seq <= m) {
                    seen[seq] = true;
                } else {
                    duplicates++; // a seq the client never submitted: counted with the runs that should not be
                }
                if (seq < highest) {
                    inversions++;
                }
                highest = Math.max(highest, seq);
            }
            for (int s = 1; s <= m; s++) {
                if (!seen[s]) {
                    lost++;
                }
            }
            if (!exact) {
                wrongKeys++;
            }
        }
        return new RunRecords(keys, submitted, runs, wrongKeys, lost, duplicates, inversions, startedBy, latency, head, rest);
    }

    /** Records in {@code all} of no run in {@code plans}: runs of jobs the bench never submitted. */
    static long strays(Runs all, List<RunPlan> plans) {
        long n = 0;
        for (int key : all.keys()) {
            if (plans.stream().noneMatch(p -> p.holds(key))) {
                n++;
            }
        }
        return n;
    }
}
