package io.seriatim.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.seriatim.core.queue.KeyState;
import io.seriatim.core.queue.KeyedQueue;
import io.seriatim.core.settings.FailurePolicy;
import io.seriatim.core.settings.NamespaceSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Retries, the failure policies, timeouts: a failing job never lets a later job of its key pass it. */
class WorkerFailureTest extends WorkerTestSupport {

    @Test
    void aFailingJobIsRetriedBeforeAnyLaterJobOfItsKeyRuns() {
        NamespaceSettings ns = NamespaceSettings.builder("retry").maxAttempts(5).build();
        KeyedQueue queue = KeyedQueue.open(redis.client(), ns);
        Ledger ledger = new Ledger();
        start(settings(ns).build(), recording(ledger, "w", (job, ctx) -> {
            if (seqOf(job) == 2 && job.attempt() < 3) {
                throw new IllegalStateException("flaky");
            }
        }));
        submit(queue, List.of("k"), 4);
        await().atMost(Duration.ofSeconds(20)).until(() -> queue.counts().pendingJobs() == 0);
        assertThat(ledger.snapshot().get("k")).extracting(Ledger.Entry::seq).containsExactly(1L, 2L, 2L, 2L, 3L, 4L);
        assertThat(ledger.snapshot().get("k")).extracting(Ledger.Entry::attempt).containsExactly(1, 1, 2, 3, 1, 1);
        assertThat(metrics.meter("seriatim.worker.retry.retried").getCount()).isEqualTo(2);
    }

    @Test
    void underSkipAPoisonJobGoesToTheDlqAndItsKeyGoesOnWhileOtherKeysRun() {
        NamespaceSettings ns = NamespaceSettings.builder("skip").maxAttempts(2).failurePolicy(FailurePolicy.SKIP).build();
        KeyedQueue queue = KeyedQueue.open(redis.client(), ns);
        Ledger ledger = new Ledger();
        start(settings(ns).concurrency(8).build(), recording(ledger, "w", (job, ctx) -> {
            if (job.key().equals("poison") && seqOf(job) == 1) {
                throw new IllegalArgumentException("bad payload");
            }
        }));
        Map<String, Integer> others = submit(queue, keys("ok", 50), 10);
        submit(queue, List.of("poison"), 3);
        await().atMost(Duration.ofSeconds(20)).until(() -> queue.counts().pendingJobs() == 0);
        assertThat(ledger.snapshot().get("poison")).extracting(Ledger.Entry::seq).containsExactly(1L, 1L, 2L, 3L);
        assertThat(queue.deadJobs(0, null, 10)).singleElement().satisfies(d -> {
            assertThat(d.job().key()).isEqualTo("poison");
            assertThat(d.error()).isEqualTo("IllegalArgumentException: bad payload");
        });
        Map<String, List<Ledger.Entry>> s = ledger.snapshot();
        others.forEach((key, n) -> assertThat(s.get(key)).hasSize(n));
    }

    @Test
    void underParkTheKeyWaitsForAnOperatorWithAllItsJobs() {
        NamespaceSettings ns = NamespaceSettings.builder("park").maxAttempts(2).failurePolicy(FailurePolicy.PARK).build();
        KeyedQueue queue = KeyedQueue.open(redis.client(), ns);
        Ledger ledger = new Ledger();
        AtomicInteger failuresLeft = new AtomicInteger(2);
        start(settings(ns).build(), recording(ledger, "w", (job, ctx) -> {
            if (seqOf(job) == 2 && failuresLeft.getAndDecrement() > 0) {
                throw new IllegalStateException("step 2 failed");
            }
        }));
        submit(queue, List.of("workflow"), 3);
        await().atMost(Duration.ofSeconds(20)).until(() -> queue.inspect("workflow", 1).state() == KeyState.PARKED);
        assertThat(ledger.snapshot().get("workflow")).extracting(Ledger.Entry::seq).containsExactly(1L, 2L, 2L);
        assertThat(queue.inspect("workflow", 5).pending()).isEqualTo(2);
        queue.unpark("workflow");
        await().atMost(Duration.ofSeconds(20)).until(() -> queue.counts().pendingJobs() == 0);
        assertThat(ledger.snapshot().get("workflow")).extracting(Ledger.Entry::seq).containsExactly(1L, 2L, 2L, 2L, 3L);
    }

    @Test
    void aNonRetryableFailureSkipsTheRemainingAttempts() {
        NamespaceSettings ns = NamespaceSettings.builder("fatal").maxAttempts(10).build();
        KeyedQueue queue = KeyedQueue.open(redis.client(), ns);
        Ledger ledger = new Ledger();
        start(settings(ns).build(), recording(ledger, "w", (job, ctx) -> {
            if (seqOf(job) == 1) {
                throw new NonRetryableException("cannot ever work");
            }
        }));
        submit(queue, List.of("k"), 2);
        await().atMost(Duration.ofSeconds(20)).until(() -> queue.counts().pendingJobs() == 0);
        assertThat(ledger.snapshot().get("k")).extracting(Ledger.Entry::seq).containsExactly(1L, 2L);
        assertThat(queue.counts().deadJobs()).isEqualTo(1);
    }

    @Test
    void aHandlerThatHangsPastItsTimeoutFailsAndTheWorkerGoesOn() {
        NamespaceSettings ns = NamespaceSettings.builder("hang").maxAttempts(2).build();
        KeyedQueue queue = KeyedQueue.open(redis.client(), ns);
        Map<Long, Integer> runs = new ConcurrentHashMap<>();
        start(settings(ns).jobTimeout(Duration.ofMillis(200)).build(), (job, ctx) -> {
            runs.merge(seqOf(job), 1, Integer::sum);
            if (job.key().equals("hangs")) {
                Thread.sleep(60_000); // ignores nothing: the interrupt at the timeout ends it
            }
        });
        submit(queue, List.of("hangs"), 1);
        submit(queue, keys("fine", 20), 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> queue.counts().pendingJobs() == 0);
        assertThat(queue.deadJobs(0, null, 10)).singleElement()
                .satisfies(d -> assertThat(d.error()).contains("timed out after PT0.2S"));
    }

    @Test
    void aHandlerThrowingAnErrorDoesNotKillTheWorker() {
        NamespaceSettings ns = NamespaceSettings.builder("error").maxAttempts(1).build();
        KeyedQueue queue = KeyedQueue.open(redis.client(), ns);
        AtomicInteger ok = new AtomicInteger();
        start(settings(ns).build(), (job, ctx) -> {
            if (seqOf(job) == 1) {
                throw new StackOverflowError("deep");
            }
            ok.incrementAndGet();
        });
        submit(queue, keys("k", 5), 2);
        await().atMost(Duration.ofSeconds(20)).until(() -> queue.counts().pendingJobs() == 0);
        assertThat(ok.get()).isEqualTo(5);
    }
}
