package io.seriatim.core.queue;

import java.util.stream.LongStream;

/**
 * What an enqueue did. {@code duplicate} means the dedup id was still remembered and nothing was
 * written; the ids are then those of the original enqueue.
 */
public record EnqueueResult(String key, int partition, boolean duplicate, long firstSequence, int count,
        long redisTimeMs) {

    public long jobId(int index) {
        if (index < 0 || index >= count) {
            throw new IndexOutOfBoundsException("job " + index + " of " + count);
        }
        return JobIds.of(firstSequence + index, partition);
    }

    public long[] jobIds() {
        return LongStream.range(0, count).map(i -> JobIds.of(firstSequence + i, partition)).toArray();
    }
}
