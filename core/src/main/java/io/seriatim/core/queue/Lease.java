package io.seriatim.core.queue;

/**
 * A worker's exclusive, time-bounded right to run one key's jobs.
 *
 * @param fence      grows with every lease granted in the partition: a stale holder's is smaller;
 *                   hand it to downstream systems so they can refuse a stale writer too
 * @param deadlineMs Redis time at which the sweeper may take the key away
 */
public record Lease(String key, int partition, long fence, String workerId, long deadlineMs) {
    public Lease withDeadline(long newDeadlineMs) {
        return new Lease(key, partition, fence, workerId, newDeadlineMs);
    }
}
