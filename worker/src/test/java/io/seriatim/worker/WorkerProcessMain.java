package io.seriatim.worker;

import io.seriatim.core.redis.RedisSettings;
import io.seriatim.core.settings.NamespaceSettings;
import java.time.Duration;
import redis.clients.jedis.RedisClient;

/**
 * A worker in its own JVM, for the crash and stall tests: {@code uri namespace workerId leaseMs
 * jobMillis}. Its handler appends {@code key|seq|fence|pid|startNanos} to the Redis list
 * {@code ledger} when a job starts, then works for {@code jobMillis}.
 */
public final class WorkerProcessMain {
    public static void main(String[] args) throws Exception {
        String uri = args[0];
        NamespaceSettings ns = NamespaceSettings.builder(args[1]).maxAttempts(1000).build();
        Duration lease = Duration.ofMillis(Long.parseLong(args[3]));
        long jobMillis = Long.parseLong(args[4]);
        long pid = ProcessHandle.current().pid();
        RedisClient ledger = RedisClient.create(java.net.URI.create(uri));
        WorkerSettings settings = WorkerSettings.builder(RedisSettings.builder(uri).poolSize(32).build(), ns)
                .workerId(args[2]).concurrency(8).batchSize(8).leaseTime(lease).idleWait(Duration.ofMillis(200))
                .backoff(Backoff.fixed(Duration.ZERO)).build();
        Worker worker = Worker.start(settings, (job, ctx) -> {
            // System.nanoTime() is CLOCK_MONOTONIC on Linux: comparable across processes on one machine.
            ledger.rpush("ledger", job.key() + "|" + WorkerTestSupport.seqOf(job) + "|" + job.fence() + "|" + pid + "|"
                    + System.nanoTime());
            Thread.sleep(jobMillis);
        }).closeOnShutdown();
        System.out.println("READY " + pid);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
        worker.close();
    }
}
