package io.seriatim.core.queue;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.seriatim.core.settings.NamespaceSettings;
import io.seriatim.testkit.RedisExtension;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Shared set-up of the script tests: a real Redis (flushed before each test), a namespace opened
 * as a {@link CheckedQueue} (the invariant after every script call, and once more after the
 * test), and helpers that name what a test sets up.
 */
abstract class QueueTestSupport {
    static final Duration LONG_LEASE = Duration.ofMinutes(5);

    @RegisterExtension
    static final RedisExtension redis = new RedisExtension();

    CheckedQueue queue;

    CheckedQueue open(NamespaceSettings.Builder settings) {
        queue = new CheckedQueue(KeyedQueue.open(redis.client(), settings.build()), redis::client);
        return queue;
    }

    /** Namespace "test": one partition, 3 attempts, SKIP. */
    CheckedQueue open() {
        return open(NamespaceSettings.builder("test").maxAttempts(3));
    }

    @AfterEach
    void invariantHolds() {
        if (queue != null && redis.server().isRunning()) {
            queue.check("after the test");
        }
    }

    RedisState state() {
        return RedisState.read(redis.client(), queue.keys());
    }

    RedisDump dump() {
        return RedisDump.of(redis.client());
    }

    /** Runs {@code call} and asserts that no key of the database changed: not a byte, not a TTL's presence. */
    void assertChangesNothing(Runnable call) {
        RedisDump before = dump();
        call.run();
        assertThat(dump()).as("Redis after the call").isEqualTo(before);
    }

    /**
     * As {@link #assertChangesNothing}, but the id bookkeeping may move (see
     * {@link RedisDump#withoutIdBlocks()}): a submit takes its ids before Redis finds that it is a
     * duplicate, and taking them may renew the queue's block.
     */
    void assertWritesNothing(Runnable call) {
        RedisDump before = dump().withoutIdBlocks();
        call.run();
        assertThat(dump().withoutIdBlocks()).as("Redis after the call, but for the id bookkeeping").isEqualTo(before);
    }

    /** Enqueues payloads "key:1".."key:n" in one request and returns their ids. */
    long[] enqueue(String key, int n) {
        byte[][] payloads = IntStream.rangeClosed(1, n).mapToObj(i -> (key + ":" + i).getBytes(UTF_8))
                .toArray(byte[][]::new);
        return queue.enqueue(EnqueueRequest.of(key, payloads)).jobIds();
    }

    /** Claims exactly one key of the key's partition with a long lease. */
    ClaimedKey claimOne(String worker, int batch) {
        return claimOne(0, worker, batch, LONG_LEASE);
    }

    ClaimedKey claimOne(int partition, String worker, int batch, Duration lease) {
        Claim claim = queue.claim(partition, worker, 1, lease, batch);
        assertThat(claim.keys()).as("one key claimed").hasSize(1);
        return claim.keys().getFirst();
    }

    /** A lease whose deadline is already Redis' "now": the next sweep takes it, no waiting. */
    ClaimedKey claimExpired(String worker) {
        return claimOne(0, worker, 1, Duration.ZERO);
    }

    /**
     * Claims {@code key} (and gives back any other key the same claim took) and fails its head job
     * {@code headId} as not retryable: it dies under SKIP, the key parks under PARK.
     */
    void kill(String key, long headId) {
        Claim claim = queue.claim(queue.partitionOf(key), "killer", 100, LONG_LEASE, 1);
        Lease lease = null;
        for (ClaimedKey k : claim.keys()) {
            if (k.lease().key().equals(key)) {
                lease = k.lease();
            } else {
                queue.release(k.lease());
            }
        }
        assertThat(lease).as("%s was claimed", key).isNotNull();
        assertThat(queue.fail(lease, headId, "dead " + headId, false, Duration.ZERO).status().name())
                .isIn("DEAD", "PARKED");
    }

    static List<Long> ids(List<Job> jobs) {
        return jobs.stream().map(Job::id).toList();
    }

    static List<Long> ids(long... ids) {
        return Arrays.stream(ids).boxed().toList();
    }

    static String text(Job job) {
        return new String(job.payload(), UTF_8);
    }
}
