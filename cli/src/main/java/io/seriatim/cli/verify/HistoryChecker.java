package io.seriatim.cli.verify;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks Seriatim's guarantees over a recorded history of submits and handler runs, knowing
 * nothing of how Seriatim works: only what the verifiable producer and consumer wrote down.
 * A job is named by its key and its sequence number in the producer's submit order (job ids are
 * Seriatim's and are not trusted here).
 *
 * <ul>
 *   <li>every acknowledged submit ran at least once (no loss);</li>
 *   <li>nothing ran that was not submitted;</li>
 *   <li>per key, a job started only after every earlier job of the key that ran at all had
 *       started (runs ordered by the machine's monotonic clock). Re-runs after a takeover may
 *       repeat earlier jobs, which is a duplicate, not a violation; a job that never ran is
 *       counted as lost (if acknowledged), not as an order violation of those after it;</li>
 *   <li>per key, no run under a fence older than one already seen.</li>
 * </ul>
 */
public final class HistoryChecker {
    private static final int MAX_EXAMPLES = 10;

    private final Set<String> keysExpectedHeld;

    /** A checker for a run where every key must drain. */
    public HistoryChecker() {
        this(Set.of());
    }

    /** A checker for a run that holds some keys back on purpose (a parked key): their unrun jobs are not lost. */
    public HistoryChecker(Set<String> keysExpectedHeld) {
        this.keysExpectedHeld = Set.copyOf(keysExpectedHeld);
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
            if (!byKey.getOrDefault(r.key(), Map.of()).containsKey(r.seq())) {
                unexpected++;
                note(examples, "unexpected run " + r);
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
                } else if (!ran.containsKey(s.seq()) && keysExpectedHeld.contains(s.key())) {
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
            for (Run r : keyRuns) {
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
