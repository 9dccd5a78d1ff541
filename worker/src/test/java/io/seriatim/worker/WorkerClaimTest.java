package io.seriatim.worker;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.seriatim.core.keys.PartitionKeys;
import io.seriatim.core.queue.KeyedQueue;
import io.seriatim.core.settings.NamespaceSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The worker claims only what it starts at once: no key it holds waits in the
 * worker for a slot, so a lease that expires was held by a worker that had started its head job,
 * unless the process died between the claim's answer and the handler's call.
 */
class WorkerClaimTest extends WorkerTestSupport {

    @Test
    void everyLeaseGrantedIsAKeyWhoseJobStarted() throws Exception {
        NamespaceSettings ns = NamespaceSettings.builder("claim").build();
        KeyedQueue queue = KeyedQueue.open(redis.client(), ns);
        PartitionKeys p = queue.keys().partition(0);
        submit(queue, keys("k", 200), 1);
        AtomicInteger started = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        start(settings(ns).concurrency(8).keysPerClaim(64).build(), (job, ctx) -> {
            started.incrementAndGet();
            go.await();
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> started.get() == 8);
        // Several idle rounds of the claimer (idle wait 200 ms) with every slot busy: it claims nothing.
        for (int i = 0; i < 10; i++) {
            Thread.sleep(100);
            assertThat(redis.client().zcard(p.leases())).as("leases held").isEqualTo(8);
            assertThat(Long.parseLong(redis.client().get(new String(p.fence(), UTF_8))))
                    .as("leases ever granted").isEqualTo(8);
            assertThat(started.get()).as("jobs started").isEqualTo(8);
        }
        go.countDown();
        await().atMost(Duration.ofSeconds(20)).until(() -> queue.counts().pendingJobs() == 0);
        assertThat(Long.parseLong(redis.client().get(new String(p.fence(), UTF_8))))
                .as("one lease per key, each started").isEqualTo(200).isEqualTo(started.get());
    }

    /** Measured: from the claim's grant (Redis clock, the same machine's) to the handler's start, one job per key. */
    @Test
    void aClaimedKeyStartsWithinMomentsOfItsGrant() {
        NamespaceSettings ns = NamespaceSettings.builder("gap").build();
        KeyedQueue queue = KeyedQueue.open(redis.client(), ns);
        PartitionKeys p = queue.keys().partition(0);
        int keys = 2000;
        submit(queue, keys("k", keys), 1);
        List<Long> gaps = Collections.synchronizedList(new ArrayList<>());
        start(settings(ns).concurrency(64).build(), (job, ctx) -> {
            long nowMs = System.currentTimeMillis(); // the test's redis-server runs on this machine's clock
            String owner = redis.client().hget(new String(p.owners(), UTF_8), job.key());
            long granted = Long.parseLong(owner.split("\\|")[1]); // fence|grantedAtMs|jobsRun|workerId
            gaps.add(nowMs - granted);
        });
        await().atMost(Duration.ofSeconds(60)).until(() -> gaps.size() == keys);
        // The first claim's keys start while the JVM is cold (classes loading, code not compiled yet).
        List<Long> sorted = new ArrayList<>(gaps);
        Collections.sort(sorted);
        List<Long> warm = new ArrayList<>(gaps.subList(64, keys));
        Collections.sort(warm);
        System.out.printf("claim-to-start: %d keys, grant to handler start (ms): p50 %d, p99 %d, max %d; after the"
                + " first 64: p50 %d, p99 %d, max %d%n", keys, sorted.get(keys / 2), sorted.get(keys * 99 / 100),
                sorted.getLast(), warm.get(warm.size() / 2), warm.get(warm.size() * 99 / 100), warm.getLast());
        assertThat(sorted.getLast()).as("far inside any lease").isLessThan(2000);
    }
}
