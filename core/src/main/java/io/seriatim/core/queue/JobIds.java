package io.seriatim.core.queue;

/**
 * Job ids are {@code sequence * 1024 + partition}: the partition's counter makes them unique
 * within a partition, the low bits say which partition holds the job. They are not an order:
 * gateways stamp from blocks of the counter, so a key's list may hold a later block's id before
 * an earlier one's (see {@code IdBlocks}).
 */
public final class JobIds {
    private JobIds() {}

    public static long of(long sequence, int partition) {
        return sequence * 1024 + partition;
    }

    public static int partition(long jobId) {
        return (int) (jobId % 1024);
    }

    public static long sequence(long jobId) {
        return jobId / 1024;
    }
}
