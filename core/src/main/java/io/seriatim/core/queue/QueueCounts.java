package io.seriatim.core.queue;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * Gauges of a namespace summed over its partitions.
 *
 * @param expiredLeaseKeys keys whose lease has expired and that no sweep has taken back yet (a
 *                         part of {@code leasedKeys})
 * @param oldestReadyAgeMs how long the longest-waiting due key has waited, 0 when none waits
 * @param counters         running totals: enqueued, acked, failed, retried, dead, expired, ...
 */
public record QueueCounts(long pendingJobs, long readyKeys, long leasedKeys, long expiredLeaseKeys, long parkedKeys,
        long deadJobs, long oldestReadyAgeMs, boolean paused, Map<String, Long> counters) {
    /** Counts of an empty namespace. */
    public static final QueueCounts NONE = new QueueCounts(0, 0, 0, 0, 0, 0, 0, false, Map.of());

    /**
     * Keys that will not run by themselves: parked ones, and those whose lease expired and was
     * not taken back yet (their holder died or stalled, and no sweep has come round since). Not
     * counted: ready keys waiting for a worker ({@code oldestReadyAgeMs} shows those), keys of a
     * paused namespace, keys retrying after a backoff, and damaged bookkeeping (a stranded key,
     * which only the repair pass finds, a page at a time).
     */
    public long stuckKeys() {
        return parkedKeys + expiredLeaseKeys;
    }


    /** The sum of some partitions' counts (the oldest wait is their longest, paused if any is). */
    public static QueueCounts sum(Collection<PartitionCounts> partitions) {
        long pending = 0;
        long ready = 0;
        long leased = 0;
        long expired = 0;
        long parked = 0;
        long dead = 0;
        long oldest = 0;
        boolean paused = false;
        Map<String, Long> counters = new TreeMap<>();
        for (PartitionCounts p : partitions) {
            pending += p.pendingJobs();
            ready += p.readyKeys();
            leased += p.leasedKeys();
            expired += p.expiredLeaseKeys();
            parked += p.parkedKeys();
            dead += p.deadJobs();
            oldest = Math.max(oldest, p.oldestReadyAgeMs());
            paused |= p.paused();
            p.counters().forEach((k, v) -> counters.merge(k, v, Long::sum));
        }
        return new QueueCounts(pending, ready, leased, expired, parked, dead, oldest, paused, counters);
    }
}
