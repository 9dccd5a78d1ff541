package io.seriatim.worker;

import io.seriatim.core.redis.RedisSettings;
import io.seriatim.core.settings.NamespaceSettings;
import java.time.Duration;
import java.util.List;
import redis.clients.jedis.RedisClient;

/**
 * A worker in its own JVM, for the crash and stall tests: {@code uri namespace workerId leaseMs
 * jobMillis}. Its handler appends {@code key|seq|fence|pid|startNanos} to the Redis list
 * {@code ledger} when a job starts, then works for {@code jobMillis}.
 *
 * <p>The ledger is a fenced store, as docs/worker.md asks of a user's: it refuses a fence smaller
 * than one it has seen for the key and counts the refusal in {@code ledger:refused}. A worker
 * frozen between its lease check and the write wakes and writes anyway; the fence is what stops it.
 */
public final class WorkerProcessMain {
    public static void main(String[] args) throws Exception {
        String uri = args[0];
        NamespaceSettings ns = NamespaceSettings.builder(args[1]).maxAttempts(1000).build();
        Duration lease = Duration.ofMillis(Long.parseLong(args[3]));
        long jobMillis = Long.parseLong(args[4]);
        long pid = ProcessHandle.current().pid();
        String fencedAppend = """
                local top = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
                if tonumber(ARGV[2]) < top then
                  return redis.call('INCR', KEYS[3])
                end
                redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
                redis.call('RPUSH', KEYS[1], ARGV[3])
                return 0
                """;
        RedisClient ledger = RedisClient.create(java.net.URI.create(uri));
        WorkerSettings settings = WorkerSettings.builder(RedisSettings.builder(uri).poolSize(32).build(), ns)
                .workerId(args[2]).concurrency(8).batchSize(8).leaseTime(lease).idleWait(Duration.ofMillis(200))
                .backoff(Backoff.fixed(Duration.ZERO)).build();
        Worker worker = Worker.start(settings, (job, ctx) -> {
            // System.nanoTime() is CLOCK_MONOTONIC on Linux: comparable across processes on one machine.
            ledger.eval(fencedAppend, List.of("ledger", "ledger:fences", "ledger:refused"), List.of(job.key(),
                    Long.toString(job.fence()), job.key() + "|" + WorkerTestSupport.seqOf(job) + "|" + job.fence() + "|"
                    + pid + "|" + System.nanoTime()));
            Thread.sleep(jobMillis);
        }).closeOnShutdown();
        System.out.println("READY " + pid);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
        worker.close();
    }
}
