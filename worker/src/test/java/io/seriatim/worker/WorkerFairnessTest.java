package io.seriatim.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.seriatim.core.queue.KeyedQueue;
import io.seriatim.core.settings.NamespaceSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WorkerFairnessTest extends WorkerTestSupport {

    @Test
    void coldKeysStartWithinTheBudgetOfAHotKey() {
        NamespaceSettings ns = NamespaceSettings.builder("fair").fairnessJobs(200).build();
        KeyedQueue queue = KeyedQueue.open(redis.client(), ns);
        submit(queue, List.of("hot"), 20_000);
        AtomicLong hotDone = new AtomicLong();
        Map<String, Long> coldStartedAfterHotJobs = new ConcurrentHashMap<>();
        // One key at a time: only the fairness budget can let cold keys in before the hot key is drained.
        start(settings(ns).concurrency(1).batchSize(50).build(), (job, ctx) -> {
            if (job.key().equals("hot")) {
                hotDone.incrementAndGet();
            } else {
                coldStartedAfterHotJobs.put(job.key(), hotDone.get());
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> hotDone.get() > 0);
        submit(queue, keys("cold", 1000), 1);
        long hotJobsWhenColdWereSubmitted = hotDone.get();
        await().atMost(Duration.ofSeconds(60)).until(() -> queue.counts().pendingJobs() == 0);
        assertThat(coldStartedAfterHotJobs).hasSize(1000);
        assertThat(coldStartedAfterHotJobs.values()).allSatisfy(n -> assertThat(n).isLessThan(20_000));
        // The hot key ran at most the rest of its current budget and one more before every cold key had run.
        long last = coldStartedAfterHotJobs.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        assertThat(last - hotJobsWhenColdWereSubmitted).isLessThanOrEqualTo(2 * 200);
    }
}
