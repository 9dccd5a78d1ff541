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
 *       consumer recorded ends (an overlap is an order violation).</li>
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
        for (var entry : runsByKey.entrySet()) {
            List<Run> keyRuns = entry.getValue();
            keyRuns.sort(Comparator.comparingLong(Run::monoNanos));
            TreeSet<Long> notStarted = new TreeSet<>(runsPerJob.get(entry.getKey()).keySet());
            long highestFence = Long.MIN_VALUE;
            Map<Long, Long> lastEndByFence = new HashMap<>();
            for (Run r : keyRuns) {
                Long busyUntil = lastEndByFence.get(r.fence());
                if (busyUntil != null && busyUntil > r.monoNanos()) {
                    violations++;
                    note(examples, "overlap: key " + r.key() + " seq " + r.seq() + " started while an earlier job of "
                            + "the same lease (fence " + r.fence() + ") was still running");
                }
                if (r.endNanos() >= 0) {
                    lastEndByFence.merge(r.fence(), r.endNanos(), Math::max);
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
                unexpected, violations, stale, unknownRan, duplicates, maxRuns, List.copyOf(examples));
    }

    private static void note(List<String> examples, String finding) {
        if (examples.size() < MAX_EXAMPLES) {
            examples.add(finding);
        }
    }
}
