package io.seriatim.core.queue;

import java.util.Map;

/**
 * Gauges of a namespace summed over its partitions.
 *
 * @param oldestReadyAgeMs how long the longest-waiting due key has waited, 0 when none waits
 * @param counters         running totals: enqueued, acked, failed, retried, dead, expired, ...
 */
public record QueueCounts(long pendingJobs, long readyKeys, long leasedKeys, long parkedKeys, long deadJobs,
        long oldestReadyAgeMs, boolean paused, Map<String, Long> counters) {
}
