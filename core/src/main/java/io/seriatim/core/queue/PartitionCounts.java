package io.seriatim.core.queue;

import java.util.Map;

/**
 * Gauges and counters of one partition of a namespace.
 *
 * @param pendingJobs      jobs enqueued and not yet acked or dead (the partition's {@code pending} counter)
 * @param expiredLeaseKeys keys whose lease has expired (Redis clock) and that no sweep has taken
 *                         back yet; a part of {@code leasedKeys}
 * @param oldestReadyAgeMs how long its longest-waiting due key has waited, 0 when none waits
 * @param counters         running totals: enqueued, acked, failed, retried, dead, expired, ...
 */
public record PartitionCounts(int partition, long pendingJobs, long readyKeys, long leasedKeys, long expiredLeaseKeys,
        long parkedKeys, long deadJobs, long oldestReadyAgeMs, boolean paused, Map<String, Long> counters) {
    public PartitionCounts {
        counters = Map.copyOf(counters);
    }
}
