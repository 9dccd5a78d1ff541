package io.seriatim.verify;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Checks Seriatim's guarantees over a recorded history of submits and handler runs, knowing
 * nothing of how Seriatim works: only what the verifiable producer and consumer wrote down.
 * A job is named by its key and its sequence number in the producer's submit order; the id
 * Seriatim acknowledged is used only to catch a job enqueued twice (its run carries another id).
 *
 * <ul>
 *   <li>every acknowledged submit ran at least once (no loss);</li>
 *   <li>nothing ran that was not submitted;</li>
 *   <li>per key, a job started only after every earlier job of the key that ran at all had
 *       started (runs ordered by the machine's monotonic clock). Re-runs after a takeover may
 *       repeat earlier jobs, which is a duplicate, not a violation; a job that never ran is
 *       counted as lost (if acknowledged), not as an order violation of those after it;</li>
 *   <li>per key, no run under a fence older than one already seen;</li>
 *   <li>per key and lease (fence), a job starts only after the previous one ended, where the
 *       consumer recorded ends (an overlap is an order violation);</li>
 *   <li>per key, runs under different leases that overlap in time (two runs of one key at once),
 *       counted apart ({@link Verdict#keyOverlaps()}): what an operator act that ended a running
 *       lease caused, and what only a holder frozen past its lease may.</li>
 * </ul>
 */
public final class HistoryChecker {
    private static final int MAX_EXAMPLES = 10;

    /** Per key held back on purpose, the first sequence number that may stay unrun. */
    private final Map<String, Long> heldFrom;

    /** A checker for a run where every key must drain. */
    public HistoryChecker() {
        this(Map.of());
    }

    /**
     * A checker for a run that holds some keys back on purpose (a poison job parks its key):
     * {@code heldFrom} maps such a key to the first of its jobs that may stay unrun; the jobs
     * before it must still run.
     */
    public HistoryChecker(Map<String, Long> heldFrom) {
        this.heldFrom = Map.copyOf(heldFrom);
    }

    public Verdict check(List<Submitted> submitted, List<Run> runs) {
        Map<String, Map<Long, Submitted>> byKey = new HashMap<>();
        long acknowledged = 0;
        for (Submitted s : submitted) {
            byKey.computeIfAbsent(s.key(), k -> new HashMap<>()).merge(s.seq(), s, (a, b) -> a.acked() ? a : b);
        }
        for (Map<Long, Submitted> seqs : byKey.values()) {
            acknowledged += seqs.values().stream().filter(Submitted::acked).count();
        }
        List<String> examples = new ArrayList<>();
        Map<String, Map<Long, Integer>> runsPerJob = new HashMap<>();
        Map<String, List<Run>> runsByKey = new HashMap<>();
        long unexpected = 0;
        for (Run r : runs) {
            runsPerJob.computeIfAbsent(r.key(), k -> new HashMap<>()).merge(r.seq(), 1, Integer::sum);
            runsByKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r);
            Submitted s = byKey.getOrDefault(r.key(), Map.of()).get(r.seq());
            if (s == null) {
                unexpected++;
                note(examples, "unexpected run " + r);
            } else if (s.acked() && s.jobId() >= 0 && r.jobId() != s.jobId()) {
                // The same submit under another id: it was enqueued twice (a resend not deduplicated).
                unexpected++;
                note(examples, "re-enqueued: key " + r.key() + " seq " + r.seq() + " ran as job " + r.jobId()
                        + ", acknowledged as job " + s.jobId());
            }
        }
        long lost = 0;
        long heldBack = 0;
        long unknownRan = 0;
        for (var entry : byKey.entrySet()) {
            Map<Long, Integer> ran = runsPerJob.getOrDefault(entry.getKey(), Map.of());
            for (Submitted s : entry.getValue().values()) {
                if (!s.acked()) {
                    unknownRan += ran.containsKey(s.seq()) ? 1 : 0;
                } else if (!ran.containsKey(s.seq()) && s.seq() >= heldFrom.getOrDefault(s.key(), Long.MAX_VALUE)) {
                    heldBack++;
                } else if (!ran.containsKey(s.seq())) {
                    lost++;
                    note(examples, "lost: key " + s.key() + " seq " + s.seq() + " job " + s.jobId());
                }
            }
        }
        long violations = 0;
        long stale = 0;
        long overlaps = 0;
        for (var entry : runsByKey.entrySet()) {
            List<Run> keyRuns = entry.getValue();
            keyRuns.sort(Comparator.comparingLong(Run::monoNanos));
            TreeSet<Long> notStarted = new TreeSet<>(runsPerJob.get(entry.getKey()).keySet());
            long highestFence = Long.MIN_VALUE;
            Map<Long, Long> lastEndByFence = new HashMap<>();
            LatestEnds ends = new LatestEnds();
            for (Run r : keyRuns) {
                long otherEnd = ends.latestOtherThan(r.fence());
                if (otherEnd > r.monoNanos()) {
                    overlaps++;
                    note(examples, "key overlap: key " + r.key() + " seq " + r.seq() + " started under fence " + r.fence()
                            + " while a run under another fence was still running");
                }
                Long busyUntil = lastEndByFence.get(r.fence());
                if (busyUntil != null && busyUntil > r.monoNanos()) {
                    violations++;
                    note(examples, "overlap: key " + r.key() + " seq " + r.seq() + " started while an earlier job of "
                            + "the same lease (fence " + r.fence() + ") was still running");
                }
                if (r.endNanos() >= 0) {
                    lastEndByFence.merge(r.fence(), r.endNanos(), Math::max);
                    ends.ended(r.fence(), r.endNanos());
                }
                Long firstMissing = notStarted.isEmpty() ? null : notStarted.first();
                if (firstMissing != null && firstMissing < r.seq()) {
                    violations++;
                    note(examples, "order: key " + r.key() + " seq " + r.seq() + " started before seq " + firstMissing);
                }
                notStarted.remove(r.seq());
                if (r.fence() < highestFence) {
                    stale++;
                    note(examples, "stale: key " + r.key() + " seq " + r.seq() + " ran under fence " + r.fence()
                            + " after fence " + highestFence);
                }
                highestFence = Math.max(highestFence, r.fence());
            }
        }
        long duplicates = 0;
        long maxRuns = 0;
        long distinct = 0;
        for (Map<Long, Integer> perKey : runsPerJob.values()) {
            for (int n : perKey.values()) {
                distinct++;
                duplicates += n - 1;
                maxRuns = Math.max(maxRuns, n);
            }
        }
        return new Verdict(submitted.size(), acknowledged, runs.size(), distinct, runsByKey.size(), lost, heldBack,
                unexpected, violations, stale, unknownRan, duplicates, maxRuns, overlaps, List.copyOf(examples));
    }

    /**
     * The latest end seen under any fence but one, in constant time per run: the latest end
     * overall and the latest under a fence other than its fence.
     */
    private static final class LatestEnds {
        private long firstFence = Long.MIN_VALUE;
        private long firstEnd = Long.MIN_VALUE;
        private long secondEnd = Long.MIN_VALUE; // latest under a fence other than firstFence

        void ended(long fence, long end) {
            if (fence == firstFence) {
                firstEnd = Math.max(firstEnd, end);
            } else if (end > firstEnd) {
                secondEnd = firstEnd;
                firstFence = fence;
                firstEnd = end;
            } else {
                secondEnd = Math.max(secondEnd, end);
            }
        }

        long latestOtherThan(long fence) {
            return fence == firstFence ? secondEnd : firstEnd;
        }
    }

    private static void note(List<String> examples, String finding) {
        if (examples.size() < MAX_EXAMPLES) {
            examples.add(finding);
        }
    }
}
