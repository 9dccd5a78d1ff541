package io.seriatim.cli.verify;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Checks Seriatim's guarantees over a recorded history of submits and handler runs, knowing
 * nothing of how Seriatim works: only what the verifiable producer and consumer wrote down.
 *
 * <ul>
 *   <li>every acknowledged submit ran at least once (no loss);</li>
 *   <li>nothing ran that was not submitted;</li>
 *   <li>per key, a job started only after every earlier acknowledged job of the key had started
 *       (runs ordered by the machine's monotonic clock); re-runs after a takeover may repeat
 *       earlier jobs, which is a duplicate, not a violation;</li>
 *   <li>per key, no run under a fence older than one already seen.</li>
 * </ul>
 */
public final class HistoryChecker {
    private static final int MAX_EXAMPLES = 10;

    public Verdict check(List<Submitted> submitted, List<Run> runs) {
        Map<Long, Submitted> byJob = new HashMap<>();
        Map<String, TreeSet<Long>> ackedSeqsByKey = new HashMap<>();
        long acknowledged = 0;
        for (Submitted s : submitted) {
            byJob.put(s.jobId(), s);
            if (s.acked()) {
                acknowledged++;
                ackedSeqsByKey.computeIfAbsent(s.key(), k -> new TreeSet<>()).add(s.seq());
            }
        }
        List<String> examples = new ArrayList<>();
        Map<Long, Integer> runsPerJob = new HashMap<>();
        Map<String, List<Run>> runsByKey = new HashMap<>();
        long unexpected = 0;
        for (Run r : runs) {
            runsPerJob.merge(r.jobId(), 1, Integer::sum);
            runsByKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r);
            Submitted s = byJob.get(r.jobId());
            if (s == null || !s.key().equals(r.key()) || s.seq() != r.seq()) {
                unexpected++;
                note(examples, "unexpected run " + r);
            }
        }
        long lost = 0;
        for (Submitted s : submitted) {
            if (s.acked() && !runsPerJob.containsKey(s.jobId())) {
                lost++;
                note(examples, "lost: key " + s.key() + " seq " + s.seq() + " job " + s.jobId());
            }
        }
        long violations = 0;
        long stale = 0;
        for (var entry : runsByKey.entrySet()) {
            List<Run> keyRuns = entry.getValue();
            keyRuns.sort(Comparator.comparingLong(Run::monoNanos));
            TreeSet<Long> notStarted = new TreeSet<>(ackedSeqsByKey.getOrDefault(entry.getKey(), new TreeSet<>()));
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
        for (int n : runsPerJob.values()) {
            duplicates += n - 1;
            maxRuns = Math.max(maxRuns, n);
        }
        return new Verdict(submitted.size(), acknowledged, runs.size(), runsPerJob.size(), runsByKey.size(), lost,
                unexpected, violations, stale, duplicates, maxRuns, List.copyOf(examples));
    }

    private static void note(List<String> examples, String finding) {
        if (examples.size() < MAX_EXAMPLES) {
            examples.add(finding);
        }
    }
}
