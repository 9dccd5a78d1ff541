package io.seriatim.worker;

import com.codahale.metrics.MetricRegistry;
import io.seriatim.core.redis.RedisConnector;
import io.seriatim.worker.internal.WorkerRuntime;
import java.util.concurrent.atomic.AtomicBoolean;
import redis.clients.jedis.UnifiedJedis;

/**
 * A worker: claims ready keys of one namespace, holds their leases and runs your
 * {@link JobHandler} on each key's jobs strictly in order, many keys at once. Run as many as you
 * like, in one process or many; a process that serves several namespaces runs one per namespace.
 *
 * <pre>{@code
 * try (Worker worker = Worker.start(settings, (job, context) -> process(job.payload()))) {
 *     awaitShutdownSignal();
 * }   // close(): stop claiming, finish running jobs, release the keys
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} is idempotent and also runs on SIGTERM if
 * {@link #closeOnShutdown()} was called.
 */
public final class Worker implements AutoCloseable {
    private final WorkerRuntime runtime;
    private final UnifiedJedis ownedRedis;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Worker(WorkerRuntime runtime, UnifiedJedis ownedRedis) {
        this.runtime = runtime;
        this.ownedRedis = ownedRedis;
    }

    /** Starts a worker with its own Redis connections and a private metric registry. */
    public static Worker start(WorkerSettings settings, JobHandler handler) {
        return start(settings, handler, new MetricRegistry());
    }

    /** Starts a worker with its own Redis connections, publishing metrics to {@code metrics}. */
    public static Worker start(WorkerSettings settings, JobHandler handler, MetricRegistry metrics) {
        UnifiedJedis redis = RedisConnector.connect(settings.redis());
        try {
            return start(settings, handler, metrics, redis, true);
        } catch (RuntimeException e) {
            redis.close();
            throw e;
        }
    }

    /**
     * Starts a worker on a Redis client you own (it must allow a blocking call per worker besides
     * its other calls: a pool of at least a few connections). For a Cluster address it must be a
     * {@code RedisClusterClient}, whose slot map tells the worker where each partition's doorbell is.
     */
    public static Worker start(WorkerSettings settings, JobHandler handler, MetricRegistry metrics, UnifiedJedis redis) {
        return start(settings, handler, metrics, redis, false);
    }

    private static Worker start(WorkerSettings settings, JobHandler handler, MetricRegistry metrics, UnifiedJedis redis,
            boolean owned) {
        if (handler == null) {
            throw new IllegalArgumentException("handler must not be null");
        }
        WorkerRuntime runtime = new WorkerRuntime(settings, handler, redis, metrics);
        runtime.start();
        return new Worker(runtime, owned ? redis : null);
    }

    /** Keys this worker holds right now. */
    public int keysHeld() {
        return runtime.keysHeld();
    }

    /** Closes this worker when the JVM is asked to stop (SIGTERM, Ctrl-C). Returns this. */
    public Worker closeOnShutdown() {
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("seriatim-worker-shutdown").unstarted(this::close));
        return this;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            runtime.close();
            if (ownedRedis != null) {
                ownedRedis.close();
            }
        }
    }
}
