package io.seriatim.core.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The ordering promise, checked apart from {@link QueueModel} so that it does not share the
 * model's mistakes: per key, the strand order is the submission order, except that a DLQ replay
 * moves the replayed jobs to the front (head) or the back (tail), in the order they died; a replay
 * to the head of a key whose holder runs waits, and the jobs go to the front when the lease ends. Jobs
 * leave the strand only when acked or dead-lettered. Every batch a worker is handed must be the
 * next jobs of the strand that are not done: a claim's from the first, an ack's right after the
 * jobs the holder still has.
 */
final class StrandOrder {
    private final Map<String, List<Long>> strands = new HashMap<>();
    private final Set<Long> done = new HashSet<>();
    private final Map<String, List<Long>> waiting = new HashMap<>();

    void submitted(String key, long[] ids) {
        List<Long> strand = strands.computeIfAbsent(key, k -> new ArrayList<>());
        for (long id : ids) {
            strand.add(id);
        }
    }

    /** Acked or dead-lettered: gone from the strand until a replay brings it back. */
    void done(long id) {
        done.add(id);
    }

    void replayed(String key, List<Long> ids, boolean toHead) {
        List<Long> strand = strands.get(key);
        strand.removeAll(ids);
        strand.addAll(toHead ? 0 : strand.size(), ids);
        ids.forEach(done::remove);
    }

    /** Replayed to the head while the key's holder runs: they wait, a later replay in front of an earlier one. */
    void waiting(String key, List<Long> ids) {
        waiting.computeIfAbsent(key, k -> new ArrayList<>()).addAll(0, ids);
    }

    /** The key's lease ended: what waited goes to the front of the strand. */
    void leaseEnded(String key) {
        List<Long> ids = waiting.remove(key);
        if (ids != null) {
            replayed(key, ids, true);
        }
    }

    /** The strand's jobs that are not done, in order. */
    List<Long> pending(String key) {
        return strands.getOrDefault(key, List.of()).stream().filter(id -> !done.contains(id)).toList();
    }

    /**
     * {@code batch} was handed to a holder that still has {@code held} (oldest first): the strand
     * must start with {@code held} and go on with {@code batch}.
     */
    void handedOut(String key, List<Long> held, List<Long> batch) {
        List<Long> pending = pending(key);
        List<Long> expected = new ArrayList<>(held);
        expected.addAll(batch);
        assertThat(pending.size()).as("order of %s: %s handed out after %s, strand %s", key, batch, held, pending)
                .isGreaterThanOrEqualTo(expected.size());
        assertThat(pending.subList(0, expected.size()))
                .as("order of %s: %s handed out after %s", key, batch, held).isEqualTo(expected);
    }
}
