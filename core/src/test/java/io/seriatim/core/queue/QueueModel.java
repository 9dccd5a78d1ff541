package io.seriatim.core.queue;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.seriatim.core.settings.FailurePolicy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntPredicate;

/**
 * A plain-Java model of one namespace, as docs/redis-layout.md says it behaves. The randomised
 * test ({@link ModelRun}) applies every operation to both Redis and this model and compares them
 * after each step.
 *
 * <p>The model has no clock, so it keeps time qualitatively: a ready key is either due now or
 * delayed far beyond the run's length, and a lease either lives long or expired when it was
 * granted. For the same reason it knows only the fairness budget in jobs, not in time.
 */
final class QueueModel {
    enum Place { READY, DELAYED, LEASED, PARKED }

    /** A lease as the model tracks it: the lease, its deadline, and the jobs handed out and not yet acked. */
    static final class Held {
        final Lease lease;
        long deadlineMs;
        boolean expired;
        final List<Long> handedOut = new ArrayList<>();
        int jobsRun;

        Held(Lease lease, boolean expired) {
            this.lease = lease;
            this.deadlineMs = lease.deadlineMs();
            this.expired = expired;
        }
    }

    record Dead(String key, long id) {}

    final int maxAttempts;
    final FailurePolicy policy;
    final int fairnessJobs;
    final Map<String, Deque<Long>> queues = new TreeMap<>();
    final Map<String, Place> places = new TreeMap<>();
    final Map<String, Held> leases = new TreeMap<>();
    final Map<String, Integer> attempts = new TreeMap<>();
    /** Dead jobs in death order (all partitions: compare per partition). */
    final List<Dead> dlq = new ArrayList<>();
    /** "key\ndedupId" -> the ids its first enqueue got. */
    final Map<String, long[]> dedup = new HashMap<>();
    /** The stats hash, summed over partitions. */
    final Map<String, Long> stats = new TreeMap<>();
    boolean paused;
    /** Leased key -> reason of a park that waits for its lease to end. */
    final Map<String, String> parking = new TreeMap<>();
    /** Leased key -> jobs replayed to its head that wait for its lease to end, head first. */
    final Map<String, Deque<Long>> staged = new TreeMap<>();

    QueueModel(int maxAttempts, FailurePolicy policy, int fairnessJobs) {
        this.maxAttempts = maxAttempts;
        this.policy = policy;
        this.fairnessJobs = fairnessJobs;
    }

    void enqueue(String key, long[] ids) {
        Deque<Long> q = queues.computeIfAbsent(key, k -> new ArrayDeque<>());
        if (q.isEmpty()) {
            places.put(key, Place.READY);
        }
        for (long id : ids) {
            q.addLast(id);
        }
        count("enqueued", ids.length);
        count("pending", ids.length);
    }

    List<String> dueKeys(IntPredicate inPartition, java.util.function.ToIntFunction<String> partitionOf) {
        return places.entrySet().stream()
                .filter(e -> e.getValue() == Place.READY && inPartition.test(partitionOf.applyAsInt(e.getKey())))
                .map(Map.Entry::getKey).toList();
    }

    /** The first {@code n} pending ids of a key after skipping {@code skip}. */
    List<Long> head(String key, int skip, int n) {
        return queues.getOrDefault(key, new ArrayDeque<>()).stream().skip(skip).limit(n).toList();
    }

    void claimed(ClaimedKey granted, boolean expired) {
        String key = granted.lease().key();
        places.put(key, Place.LEASED);
        Held held = new Held(granted.lease(), expired);
        held.handedOut.addAll(QueueTestSupport.ids(granted.jobs()));
        leases.put(key, held);
    }

    /** A valid ack of the first {@code n} handed-out jobs; returns the expected status. */
    String ack(String key, int n) {
        Held held = leases.get(key);
        Deque<Long> q = queues.get(key);
        for (int i = 0; i < n; i++) {
            q.removeFirst();
            held.handedOut.removeFirst();
        }
        attempts.remove(key);
        count("acked", n);
        count("pending", -n);
        held.jobsRun += n;
        if (hasAct(key)) {
            boolean released = q.isEmpty() && !staged.containsKey(key);
            leases.remove(key);
            places.put(key, Place.READY);
            settle(key);
            return released ? "RELEASED" : "HANDED_OVER";
        }
        if (q.isEmpty()) {
            leases.remove(key);
            places.remove(key);
            queues.remove(key);
            return "RELEASED";
        }
        if (fairnessJobs > 0 && held.jobsRun >= fairnessJobs) {
            leases.remove(key);
            places.put(key, Place.READY);
            return "YIELDED";
        }
        return "CONTINUE";
    }

    /** A fail of the held key's head; returns RETRY, DEAD or PARKED. */
    String fail(String key, boolean retryable, boolean longDelay) {
        leases.remove(key);
        count("failed", 1);
        int tries = attempts.merge(key, 1, Integer::sum);
        String outcome;
        if (retryable && tries < maxAttempts) {
            places.put(key, longDelay ? Place.DELAYED : Place.READY);
            count("retried", 1);
            outcome = "RETRY";
        } else {
            outcome = exhaust(key);
        }
        settle(key);
        return outcome;
    }

    void release(String key) {
        leases.remove(key);
        places.put(key, Place.READY);
        settle(key);
    }

    boolean hasAct(String key) {
        return parking.containsKey(key) || staged.containsKey(key);
    }

    /**
     * The key's lease just ended and it was placed as without an act: a waiting replay's jobs go
     * to the front with fresh attempts, then a waiting park holds the key, and a replay makes it
     * due now.
     */
    private void settle(String key) {
        String park = parking.remove(key);
        Deque<Long> replayed = staged.remove(key);
        if (park == null && replayed == null) {
            return;
        }
        Deque<Long> q = queues.computeIfAbsent(key, k -> new ArrayDeque<>());
        if (replayed != null) {
            replayed.reversed().forEach(q::addFirst);
            attempts.remove(key);
            count("pending", replayed.size());
        }
        if (q.isEmpty()) {
            queues.remove(key);
            places.remove(key);
        } else if (park != null || places.get(key) == Place.PARKED) {
            places.put(key, Place.PARKED);
        } else {
            places.put(key, Place.READY);
        }
    }

    /**
     * Every expired lease of the partition goes back (the test sweeps with a limit above their
     * number), in the order of the leases zset: by deadline, then by the key's bytes. The order
     * shows in the DLQ when several die in one sweep.
     */
    int sweep(IntPredicate inPartition, java.util.function.ToIntFunction<String> partitionOf) {
        List<String> expired = leases.entrySet().stream()
                .filter(e -> e.getValue().expired && inPartition.test(partitionOf.applyAsInt(e.getKey())))
                .sorted(Comparator.comparingLong((Map.Entry<String, Held> e) -> e.getValue().deadlineMs)
                        .thenComparing(e -> e.getKey().getBytes(UTF_8), Arrays::compareUnsigned))
                .map(Map.Entry::getKey).toList();
        for (String key : expired) {
            leases.remove(key);
            count("expired", 1);
            if (attempts.merge(key, 1, Integer::sum) >= maxAttempts) {
                exhaust(key);
            } else {
                places.put(key, Place.READY);
            }
            settle(key);
        }
        return expired.size();
    }

    private String exhaust(String key) {
        if (policy == FailurePolicy.PARK) {
            places.put(key, Place.PARKED);
            count("parkedByPolicy", 1);
            return "PARKED";
        }
        Deque<Long> q = queues.get(key);
        dlq.add(new Dead(key, q.removeFirst()));
        count("dead", 1);
        count("pending", -1);
        attempts.remove(key);
        if (q.isEmpty()) {
            queues.remove(key);
            places.remove(key);
        } else {
            places.put(key, Place.READY);
        }
        return "DEAD";
    }

    String park(String key) {
        if (!queues.containsKey(key)) {
            return "NOT_FOUND";
        }
        if (places.get(key) == Place.PARKED) {
            return "ALREADY_PARKED";
        }
        if (places.get(key) == Place.LEASED) {
            parking.putIfAbsent(key, "parked");
            return "DEFERRED";
        }
        places.put(key, Place.PARKED);
        return "OK";
    }

    String unpark(String key) {
        if (places.get(key) == Place.PARKED) {
            attempts.remove(key);
            places.put(key, Place.READY);
            return "OK";
        }
        return parking.remove(key) != null ? "CANCELLED" : "NOT_PARKED";
    }

    /** Dead jobs of {@code onlyKey} (null: all) back into their strands, in death order. */
    long replay(String onlyKey, boolean toHead) {
        Map<String, List<Long>> byKey = new LinkedHashMap<>();
        dlq.removeIf(d -> {
            if (onlyKey == null || d.key().equals(onlyKey)) {
                byKey.computeIfAbsent(d.key(), k -> new ArrayList<>()).add(d.id());
                return true;
            }
            return false;
        });
        long replayed = 0;
        long pending = 0;
        for (var e : byKey.entrySet()) {
            String key = e.getKey();
            List<Long> jobs = e.getValue();
            replayed += jobs.size();
            if (toHead && places.get(key) == Place.LEASED) {
                Deque<Long> waiting = staged.computeIfAbsent(key, k -> new ArrayDeque<>());
                jobs.reversed().forEach(waiting::addFirst);
                continue;
            }
            pending += jobs.size();
            Deque<Long> q = queues.computeIfAbsent(key, k -> new ArrayDeque<>());
            boolean wasEmpty = q.isEmpty();
            if (toHead) {
                jobs.reversed().forEach(q::addFirst);
                attempts.remove(key);
            } else {
                jobs.forEach(q::addLast);
            }
            Place place = places.get(key);
            if (place != Place.PARKED && wasEmpty) {
                places.put(key, Place.READY);
            } else if (toHead && place == Place.DELAYED) {
                places.put(key, Place.READY); // the retry delay was the old head's
            }
        }
        count("pending", pending);
        count("replayed", replayed);
        return replayed;
    }

    long purge(String onlyKey) {
        int before = dlq.size();
        dlq.removeIf(d -> onlyKey == null || d.key().equals(onlyKey));
        count("purged", before - dlq.size());
        return (long) before - dlq.size();
    }

    private void count(String counter, long n) {
        stats.merge(counter, n, Long::sum);
    }
}
