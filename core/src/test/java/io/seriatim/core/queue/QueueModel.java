package io.seriatim.core.queue;

import io.seriatim.core.settings.FailurePolicy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A plain-Java model of one namespace, as the design says it behaves. The randomised test applies
 * every operation to both Redis and this model and compares them after each step.
 *
 * <p>The model does not know Redis' clock, so it keeps time qualitatively: a ready key is either
 * due now or delayed far beyond the test's length, and a lease either lives long or expired at
 * the moment it was granted.
 */
final class QueueModel {
    enum Place { READY, DELAYED, LEASED, PARKED }

    /** A lease as the model tracks it: who holds it, whether it expired, and the jobs handed out. */
    static final class Held {
        final Lease lease;
        boolean expired;
        final List<Long> handedOut = new ArrayList<>();
        int jobsRun;

        Held(Lease lease, boolean expired) {
            this.lease = lease;
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
    final List<Dead> dlq = new ArrayList<>();
    final Map<String, long[]> dedup = new HashMap<>();
    boolean paused;

    QueueModel(int maxAttempts, FailurePolicy policy, int fairnessJobs) {
        this.maxAttempts = maxAttempts;
        this.policy = policy;
        this.fairnessJobs = fairnessJobs;
    }

    void enqueue(String key, long[] ids) {
        Deque<Long> q = queues.computeIfAbsent(key, k -> new ArrayDeque<>());
        boolean wasEmpty = q.isEmpty();
        for (long id : ids) {
            q.addLast(id);
        }
        if (wasEmpty) {
            places.put(key, Place.READY);
        }
    }

    List<String> dueKeys(int partition, KeyedQueue queue) {
        List<String> due = new ArrayList<>();
        places.forEach((k, p) -> {
            if (p == Place.READY && queue.partitionOf(k) == partition) {
                due.add(k);
            }
        });
        return due;
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

    /** Applies a valid ack of the first {@code n} handed-out jobs; returns the expected outcome. */
    String ack(String key, int n) {
        Held held = leases.get(key);
        Deque<Long> q = queues.get(key);
        for (int i = 0; i < n; i++) {
            q.removeFirst();
            held.handedOut.removeFirst();
        }
        attempts.remove(key);
        held.jobsRun += n;
        if (q.isEmpty()) {
            endLease(key);
            places.remove(key);
            queues.remove(key);
            return "RELEASED";
        }
        if (fairnessJobs > 0 && held.jobsRun >= fairnessJobs) {
            endLease(key);
            places.put(key, Place.READY);
            return "YIELDED";
        }
        held.expired = false;
        return "CONTINUE";
    }

    /** Applies a fail of the held key's head; returns RETRY, DEAD or PARKED. */
    String fail(String key, boolean retryable, boolean longDelay) {
        endLease(key);
        int tries = attempts.merge(key, 1, Integer::sum);
        if (retryable && tries < maxAttempts) {
            places.put(key, longDelay ? Place.DELAYED : Place.READY);
            return "RETRY";
        }
        return exhaust(key);
    }

    void release(String key) {
        endLease(key);
        places.put(key, Place.READY);
    }

    /** Every expired lease goes back (the test sweeps with a limit above their number). */
    int sweep(int partition, KeyedQueue queue) {
        List<String> expired = leases.entrySet().stream()
                .filter(e -> e.getValue().expired && queue.partitionOf(e.getKey()) == partition)
                .map(Map.Entry::getKey).toList();
        for (String key : expired) {
            endLease(key);
            int tries = attempts.merge(key, 1, Integer::sum);
            if (tries >= maxAttempts) {
                exhaust(key);
            } else {
                places.put(key, Place.READY);
            }
        }
        return expired.size();
    }

    private String exhaust(String key) {
        if (policy == FailurePolicy.PARK) {
            places.put(key, Place.PARKED);
            return "PARKED";
        }
        Deque<Long> q = queues.get(key);
        dlq.add(new Dead(key, q.removeFirst()));
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
        endLease(key);
        places.put(key, Place.PARKED);
        return "OK";
    }

    boolean unpark(String key) {
        if (places.get(key) != Place.PARKED) {
            return false;
        }
        attempts.remove(key);
        places.put(key, Place.READY);
        return true;
    }

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
        for (var e : byKey.entrySet()) {
            String key = e.getKey();
            Deque<Long> q = queues.computeIfAbsent(key, k -> new ArrayDeque<>());
            boolean wasEmpty = q.isEmpty();
            List<Long> jobs = e.getValue();
            if (toHead) {
                for (int i = jobs.size() - 1; i >= 0; i--) {
                    q.addFirst(jobs.get(i));
                }
                attempts.remove(key);
            } else {
                jobs.forEach(q::addLast);
            }
            replayed += jobs.size();
            if (places.get(key) != Place.PARKED && (wasEmpty || (toHead && places.get(key) == Place.LEASED))) {
                endLease(key);
                places.put(key, Place.READY);
            }
        }
        return replayed;
    }

    long purge(String onlyKey) {
        int before = dlq.size();
        dlq.removeIf(d -> onlyKey == null || d.key().equals(onlyKey));
        return before - dlq.size();
    }

    private void endLease(String key) {
        leases.remove(key);
    }
}
