package io.seriatim.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.seriatim.core.queue.KeyState;
import io.seriatim.core.queue.KeyedQueue;
import io.seriatim.core.settings.NamespaceSettings;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WorkerOrderTest extends WorkerTestSupport {

    @Test
    void manyKeysOnThreeWorkersRunInSubmissionOrderOneAtATime() {
        NamespaceSettings ns = NamespaceSettings.builder("order").partitions(2).fairnessJobs(7).build();
        KeyedQueue queue = KeyedQueue.open(redis.client(), ns);
        Ledger ledger = new Ledger();
        for (String w : new String[] {"w1", "w2", "w3"}) {
            start(settings(ns).workerId(w).concurrency(16).batchSize(4).build(), recording(ledger, w, (job, ctx) -> {
                if (ThreadLocalRandom.current().nextInt(10) == 0) {
                    Thread.sleep(1);
                }
            }));
        }
        Map<String, Integer> submitted = submit(queue, keys("post-", 200), 20);
        await().atMost(Duration.ofSeconds(60)).until(() -> ledger.runs() >= 4000 && queue.counts().pendingJobs() == 0);
        ledger.assertExactlyOnceInOrderWithoutOverlap(submitted);
        assertThat(ledger.snapshot().values().stream().flatMap(l -> l.stream().map(Ledger.Entry::worker)).distinct())
                .as("work was shared").hasSizeGreaterThan(1);
    }

    @Test
    void aHandlerBlockedOnIoDoesNotHoldUpOtherKeys() throws Exception {
        NamespaceSettings ns = NamespaceSettings.builder("io").build();
        KeyedQueue queue = KeyedQueue.open(redis.client(), ns);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch othersDone = new CountDownLatch(500);
        start(settings(ns).concurrency(1000).build(), (job, ctx) -> {
            if (job.key().equals("slow")) {
                release.await(30, TimeUnit.SECONDS);
            } else {
                Thread.sleep(100); // a handler waiting 100 ms on I/O
                othersDone.countDown();
            }
        });
        submit(queue, java.util.List.of("slow"), 1);
        submit(queue, keys("k", 500), 1);
        assertThat(othersDone.await(30, TimeUnit.SECONDS)).as("500 keys ran while one blocked").isTrue();
        release.countDown();
    }

    @Test
    void anIdleWorkerWakesOnTheDoorbellNotByPolling() throws Exception {
        NamespaceSettings ns = NamespaceSettings.builder("bell").build();
        KeyedQueue queue = KeyedQueue.open(redis.client(), ns);
        CountDownLatch ran = new CountDownLatch(1);
        start(settings(ns).idleWait(Duration.ofSeconds(30)).build(), (job, ctx) -> ran.countDown());
        Thread.sleep(300); // let the worker block on the bell: with a 30 s idle wait only the bell can wake it
        submit(queue, java.util.List.of("k"), 1);
        assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void closeFinishesTheRunningJobAndReleasesTheKey() throws Exception {
        NamespaceSettings ns = NamespaceSettings.builder("close").build();
        KeyedQueue queue = KeyedQueue.open(redis.client(), ns);
        CountDownLatch started = new CountDownLatch(1);
        Ledger ledger = new Ledger();
        Worker worker = start(settings(ns).build(), recording(ledger, "w", (job, ctx) -> {
            started.countDown();
            Thread.sleep(300);
        }));
        submit(queue, java.util.List.of("k"), 3);
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        worker.close();
        assertThat(ledger.snapshot().get("k")).extracting(Ledger.Entry::seq).containsExactly(1L);
        var k = queue.inspect("k", 5);
        assertThat(k.state()).as("released, not left leased").isEqualTo(KeyState.READY);
        assertThat(k.pending()).isEqualTo(2);
    }
}
