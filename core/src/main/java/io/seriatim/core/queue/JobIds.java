package io.seriatim.core.queue;

/**
 * Job ids are {@code sequence * 1024 + partition}: the partition's counter makes them unique and
 * increasing within a partition, the low bits say which partition holds the job.
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
