package io.seriatim.core.queue;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * Gauges of a namespace summed over its partitions.
 *
 * @param oldestReadyAgeMs how long the longest-waiting due key has waited, 0 when none waits
 * @param counters         running totals: enqueued, acked, failed, retried, dead, expired, ...
 */
public record QueueCounts(long pendingJobs, long readyKeys, long leasedKeys, long parkedKeys, long deadJobs,
        long oldestReadyAgeMs, boolean paused, Map<String, Long> counters) {

    /** The sum of some partitions' counts (the oldest wait is their longest, paused if any is). */
    public static QueueCounts sum(Collection<PartitionCounts> partitions) {
        long pending = 0;
        long ready = 0;
        long leased = 0;
        long parked = 0;
        long dead = 0;
        long oldest = 0;
        boolean paused = false;
        Map<String, Long> counters = new TreeMap<>();
        for (PartitionCounts p : partitions) {
            pending += p.pendingJobs();
            ready += p.readyKeys();
            leased += p.leasedKeys();
            parked += p.parkedKeys();
            dead += p.deadJobs();
            oldest = Math.max(oldest, p.oldestReadyAgeMs());
            paused |= p.paused();
            p.counters().forEach((k, v) -> counters.merge(k, v, Long::sum));
        }
        return new QueueCounts(pending, ready, leased, parked, dead, oldest, paused, counters);
    }
}
