package io.seriatim.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What handlers saw, per key, in the order they started. A key's entries are appended by one
 * strand at a time, except after a lease takeover, which is exactly what the checks look at.
 */
final class Ledger {
    record Entry(long seq, long jobId, long fence, int attempt, String worker, long startNanos, long endNanos) {}

    private final Map<String, List<Entry>> byKey = new ConcurrentHashMap<>();

    /** Records a handler run of job {@code seq} (1-based per key, from the payload). */
    void record(String key, Entry e) {
        List<Entry> list = byKey.computeIfAbsent(key, k -> new ArrayList<>());
        synchronized (list) {
            list.add(e);
        }
    }

    int runs() {
        return byKey.values().stream().mapToInt(List::size).sum();
    }

    Map<String, List<Entry>> snapshot() {
        Map<String, List<Entry>> out = new TreeMap<>();
        byKey.forEach((k, v) -> {
            synchronized (v) {
                out.put(k, List.copyOf(v));
            }
        });
        return out;
    }

    /** Every key ran jobs 1..n exactly once each, in order, never two at a time. */
    void assertExactlyOnceInOrderWithoutOverlap(Map<String, Integer> jobsPerKey) {
        Map<String, List<Entry>> s = snapshot();
        assertThat(s.keySet()).isEqualTo(jobsPerKey.keySet());
        s.forEach((key, runs) -> {
            List<Long> seqs = runs.stream().map(Entry::seq).toList();
            List<Long> expected = new ArrayList<>();
            for (long i = 1; i <= jobsPerKey.get(key); i++) {
                expected.add(i);
            }
            assertThat(seqs).as("runs of key %s", key).isEqualTo(expected);
            for (int i = 1; i < runs.size(); i++) {
                assertThat(runs.get(i).startNanos()).as("key %s job %d started before job %d ended", key,
                        runs.get(i).seq(), runs.get(i - 1).seq()).isGreaterThanOrEqualTo(runs.get(i - 1).endNanos());
            }
        });
    }
}
