package io.seriatim.worker;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.seriatim.core.queue.EnqueueRequest;
import io.seriatim.core.queue.KeyedQueue;
import io.seriatim.core.queue.NewJob;
import io.seriatim.core.settings.NamespaceSettings;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The stale-lease meter counts leases lost, not leases the worker gave back: a renewal racing a
 * strand's own release used to read as a lost lease (issue 17: 117 log lines in a run without faults).
 */
class WorkerStaleMetricTest extends WorkerTestSupport {

    @Test
    void keysReleasedNormallyAreNotStaleLeasesEvenWhenARenewalRacesTheRelease() {
        NamespaceSettings ns = NamespaceSettings.builder("normal").build();
        KeyedQueue queue = KeyedQueue.open(redis.client(), ns);
        // Renewals every 10 ms over hundreds of short-lived keys: many are in flight as keys end.
        start(settings(ns).leaseTime(Duration.ofMillis(500)).renewInterval(Duration.ofMillis(10)).build(),
                (job, ctx) -> sleep(1));
        for (int round = 0; round < 5; round++) {
            submit(queue, keys("k" + round + "-", 300), 2);
            await().atMost(Duration.ofSeconds(60)).until(() -> queue.counts().pendingJobs() == 0);
        }
        assertThat(queue.counts().counters()).containsEntry("acked", 3000L);
        assertThat(metrics.meter("seriatim.worker.normal.stale").getCount()).as("stale leases").isZero();
    }

    @Test
    void aLeaseReallyLostIsCounted() throws InterruptedException {
        NamespaceSettings ns = NamespaceSettings.builder("lost").build();
        KeyedQueue queue = KeyedQueue.open(redis.client(), ns);
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        start(settings(ns).leaseTime(Duration.ofSeconds(2)).renewInterval(Duration.ofMillis(50)).build(), (job, ctx) -> {
            running.countDown();
            if (!finish.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never let the job finish");
            }
        });
        queue.enqueue(new EnqueueRequest("victim", List.of(NewJob.of("1".getBytes(UTF_8))), null));
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        redis.client().hdel(queue.keys().partitionOf("victim").owners(), "victim".getBytes(UTF_8)); // the lease is gone
        await().atMost(Duration.ofSeconds(5))
                .until(() -> metrics.meter("seriatim.worker.lost.stale").getCount() >= 1);
        finish.countDown();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
