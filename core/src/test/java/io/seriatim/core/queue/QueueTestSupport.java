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

/** Shared set-up of the script tests: a real Redis, a namespace, and the invariant after each test. */
abstract class QueueTestSupport {
    static final Duration LONG_LEASE = Duration.ofMinutes(5);

    @RegisterExtension
    static final RedisExtension redis = new RedisExtension();

    KeyedQueue queue;

    KeyedQueue open(NamespaceSettings.Builder settings) {
        queue = KeyedQueue.open(redis.client(), settings.build());
        return queue;
    }

    KeyedQueue open() {
        return open(NamespaceSettings.builder("test").maxAttempts(3));
    }

    @AfterEach
    void invariantHolds() {
        if (queue != null && redis.server().isRunning()) {
            check("after the test");
        }
    }

    RedisState check(String context) {
        return InvariantChecker.check(redis.client(), queue.keys(), context);
    }

    RedisState state() {
        return RedisState.read(redis.client(), queue.keys());
    }

    /** Enqueues payloads "key:1".."key:n" and returns their ids. */
    long[] enqueue(String key, int n) {
        byte[][] payloads = IntStream.rangeClosed(1, n).mapToObj(i -> (key + ":" + i).getBytes(UTF_8))
                .toArray(byte[][]::new);
        long[] ids = queue.enqueue(EnqueueRequest.of(key, payloads)).jobIds();
        check("after enqueue " + key);
        return ids;
    }

    ClaimedKey claimOne(String worker, int batch) {
        Claim claim = queue.claim(0, worker, 1, LONG_LEASE, batch);
        assertThat(claim.keys()).as("one key claimed").hasSize(1);
        check("after claim");
        return claim.keys().getFirst();
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
