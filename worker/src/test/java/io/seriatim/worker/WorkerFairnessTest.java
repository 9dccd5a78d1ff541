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
        // The hot key becomes ready first, so a worker holding one key at a time takes it first;
        // only the fairness budget can let the cold keys in before the hot key is drained.
        submit(queue, List.of("hot"), 20_000);
        submit(queue, keys("cold", 1000), 1);
        AtomicLong hotDone = new AtomicLong();
        Map<String, Long> hotJobsBeforeColdStarted = new ConcurrentHashMap<>();
        start(settings(ns).concurrency(1).batchSize(50).build(), (job, ctx) -> {
            if (job.key().equals("hot")) {
                hotDone.incrementAndGet();
            } else {
                hotJobsBeforeColdStarted.put(job.key(), hotDone.get());
            }
        });
        await().atMost(Duration.ofSeconds(60)).until(() -> queue.counts().pendingJobs() == 0);
        assertThat(hotJobsBeforeColdStarted).hasSize(1000);
        // After one budget (200 jobs, acknowledged in batches of 50) the hot key went to the back of
        // ready, behind every cold key.
        assertThat(hotJobsBeforeColdStarted.values()).allSatisfy(n -> assertThat(n).isEqualTo(200L));
    }
}
