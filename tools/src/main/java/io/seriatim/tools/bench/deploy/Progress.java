package io.seriatim.tools.bench.deploy;

import io.seriatim.core.keys.PartitionKeys;
import io.seriatim.core.queue.KeyedQueue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;

/**
 * The two counters the bench polls every few milliseconds to see a run end: the namespace's jobs
 * acknowledged and jobs pending, summed over its partitions, one HMGET each in one pipeline.
 * {@link KeyedQueue#counts()} reads eight things per partition: on a cluster's 12 partitions
 * that polling alone cost Redis more than a few µs per job, which would be charged to Seriatim.
 */
final class Progress {
    /** acked and pending, summed over the partitions. */
    record Reading(long acked, long pending) {}

    private static final byte[] ACKED = "acked".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PENDING = "pending".getBytes(StandardCharsets.US_ASCII);

    private final UnifiedJedis redis;
    private final List<byte[]> stats = new ArrayList<>();

    Progress(UnifiedJedis redis, KeyedQueue queue) {
        this.redis = redis;
        for (PartitionKeys p : queue.keys().partitions()) {
            stats.add(p.stats());
        }
    }

    Reading read() {
        List<Response<List<byte[]>>> replies = new ArrayList<>();
        try (AbstractPipeline pipe = redis.pipelined()) {
            for (byte[] key : stats) {
                replies.add(pipe.hmget(key, ACKED, PENDING));
            }
            pipe.sync();
        }
        long acked = 0;
        long pending = 0;
        for (Response<List<byte[]>> r : replies) {
            List<byte[]> v = r.get();
            acked += number(v.get(0));
            pending += number(v.get(1));
        }
        return new Reading(acked, pending);
    }

    private static long number(byte[] v) {
        return v == null ? 0 : Long.parseLong(new String(v, StandardCharsets.US_ASCII));
    }
}
