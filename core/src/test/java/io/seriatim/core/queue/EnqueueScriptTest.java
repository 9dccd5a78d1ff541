package io.seriatim.core.queue;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EnqueueScriptTest extends QueueTestSupport {
    @BeforeEach
    void setUp() {
        open();
    }

    @Test
    void enqueueAppendsJobsInOrderWithIncreasingIds() {
        long[] first = enqueue("post-A", 3);
        long[] second = enqueue("post-A", 2);
        assertThat(state().queues().get("post-A")).containsExactly(first[0], first[1], first[2], second[0], second[1]);
        assertThat(first[0]).isLessThan(first[1]).isLessThan(second[0]);
    }

    @Test
    void enqueueMakesAnIdleKeyReadyOnce() {
        enqueue("post-A", 1);
        enqueue("post-A", 1);
        assertThat(state().ready()).containsOnlyKeys("post-A");
    }

    @Test
    void storedJobCarriesPayloadHeadersAndRedisTime() {
        long before = queue.redisTimeMs();
        queue.enqueue(new EnqueueRequest("k", List.of(new NewJob("hello".getBytes(UTF_8), Map.of("h", "v"))), null));
        Job job = claimOne("w", 10).jobs().getFirst();
        assertThat(text(job)).isEqualTo("hello");
        assertThat(job.headers()).containsEntry("h", "v");
        assertThat(job.submittedAtMs()).isBetween(before, queue.redisTimeMs());
        assertThat(job.attempt()).isEqualTo(1);
        assertThat(job.key()).isEqualTo("k");
    }

    @Test
    void enqueueWithLiveDedupIdWritesNothingAndAnswersTheOriginalIds() {
        EnqueueRequest request = new EnqueueRequest("k", List.of(NewJob.of(new byte[] {1}), NewJob.of(new byte[] {2})),
                "dedup-1");
        EnqueueResult first = queue.enqueue(request);
        RedisState before = state();
        EnqueueResult again = queue.enqueue(request);
        assertThat(again.duplicate()).isTrue();
        assertThat(again.jobIds()).containsExactly(first.jobIds());
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void theSameDedupIdForAnotherKeyEnqueuesBoth() {
        assertThat(queue.enqueue(new EnqueueRequest("a", List.of(NewJob.of(new byte[] {1})), "same")).duplicate()).isFalse();
        assertThat(queue.enqueue(new EnqueueRequest("b", List.of(NewJob.of(new byte[] {1})), "same")).duplicate()).isFalse();
        assertThat(state().queues()).containsOnlyKeys("a", "b");
    }

    @Test
    void dedupIdIsForgottenAfterTheWindow() {
        queue.enqueue(new EnqueueRequest("k", List.of(NewJob.of(new byte[] {1})), "d"));
        long ttl = redis.client().pttl(queue.keys().partition(0).dedup("k", "d"));
        assertThat(ttl).isPositive().isLessThanOrEqualTo(queue.settings().dedupWindow().toMillis());
    }

    @Test
    void enqueueAllKeepsEachKeysOrderAcrossInterleavedRequests() {
        List<EnqueueRequest> requests = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            requests.add(EnqueueRequest.of("k" + (i % 3), ("" + i).getBytes(UTF_8)));
        }
        List<EnqueueResult> results = queue.enqueueAll(requests);
        check("after enqueueAll");
        for (int k = 0; k < 3; k++) {
            List<Long> expected = new ArrayList<>();
            for (int i = k; i < 50; i += 3) {
                expected.add(results.get(i).jobId(0));
            }
            assertThat(state().queues().get("k" + k)).isEqualTo(expected);
        }
    }

    @Test
    void jobIdsNameTheirPartition() {
        open(io.seriatim.core.settings.NamespaceSettings.builder("parted").partitions(4));
        for (String key : List.of("a", "b", "c", "d", "e")) {
            EnqueueResult r = queue.enqueue(EnqueueRequest.of(key, new byte[] {1}));
            assertThat(JobIds.partition(r.jobId(0))).isEqualTo(queue.partitionOf(key));
        }
    }
}
