package io.seriatim.sweeper;

import com.codahale.metrics.MetricRegistry;
import io.seriatim.core.queue.KeyedQueue;
import io.seriatim.core.queue.SweepResult;
import io.seriatim.core.redis.RedisConnector;
import io.seriatim.core.schedule.Schedule;
import io.seriatim.core.schedule.Schedules;
import io.seriatim.core.settings.NamespaceSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * The scheduler-sweeper: once per interval, for every namespace and partition, it takes back
 * expired leases, promotes due delayed jobs, fires due cron ticks, and refreshes the gauges.
 * Every step is an idempotent script, so several sweepers on one Redis do each piece of work once.
 *
 * <p>Owns one platform thread ({@code seriatim-sweeper}) and, when it opened them, its Redis
 * connections; {@link #close()} stops the thread (waiting for the current tick) and closes them.
 * Redis being down is logged and retried with backoff; the loop never exits on its own.
 */
public final class Sweeper implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Sweeper.class);

    /** One namespace's handles: the queue, its schedules and its gauges. */
    private record Served(KeyedQueue queue, Schedules schedules, NamespaceGauges gauges) {}

    private final SweeperSettings settings;
    private final UnifiedJedis redis;
    private final boolean ownsRedis;
    private final MetricRegistry metrics;
    private final List<Served> served = new ArrayList<>();
    private final Thread thread;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final AtomicBoolean closed = new AtomicBoolean();
    /** One tick at a time: the loop's and any caller's of {@link #tick()}; guards {@link #served}. */
    private final ReentrantLock tickLock = new ReentrantLock();

    private Sweeper(SweeperSettings settings, UnifiedJedis redis, boolean ownsRedis, MetricRegistry metrics) {
        this.settings = settings;
        this.redis = redis;
        this.ownsRedis = ownsRedis;
        this.metrics = metrics;
        this.thread = Thread.ofPlatform().name("seriatim-sweeper").daemon().unstarted(this::loop);
    }

    /** Starts a sweeper with its own Redis connections. */
    public static Sweeper start(SweeperSettings settings, MetricRegistry metrics) {
        Sweeper s = new Sweeper(settings, RedisConnector.connect(settings.redis()), true, metrics);
        s.thread.start();
        return s;
    }

    /** Starts a sweeper on a Redis client the caller owns. */
    public static Sweeper start(SweeperSettings settings, MetricRegistry metrics, UnifiedJedis redis) {
        Sweeper s = new Sweeper(settings, redis, false, metrics);
        s.thread.start();
        return s;
    }

    /** Closes this sweeper when the JVM is asked to stop (SIGTERM, Ctrl-C). Returns this. */
    public Sweeper closeOnShutdown() {
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("seriatim-sweeper-shutdown").unstarted(this::close));
        return this;
    }

    private void loop() {
        long backoffMs = settings.interval().toMillis();
        while (stop.getCount() > 0) {
            long waitMs = settings.interval().toMillis();
            try {
                tick();
                backoffMs = settings.interval().toMillis();
            } catch (RuntimeException e) {
                log.warn("sweeper tick failed (Redis unreachable?), retrying in {} ms: {}", backoffMs, e.toString());
                waitMs = backoffMs;
                backoffMs = Math.min(backoffMs * 2, 30_000);
            }
            try {
                if (stop.await(waitMs, TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One round of work over every namespace; public for tests and one-shot runs. */
    public void tick() {
        tickLock.lock();
        try {
            tickLocked();
        } finally {
            tickLock.unlock();
        }
    }

    private void tickLocked() {
        if (served.isEmpty()) {
            for (NamespaceSettings ns : settings.namespaces()) {
                KeyedQueue q = KeyedQueue.open(redis, ns);
                served.add(new Served(q, new Schedules(redis, q), new NamespaceGauges(metrics, ns.name())));
            }
        }
        for (Served s : served) {
            for (int p = 0; p < s.queue().partitionCount(); p++) {
                sweep(s, p);
                promote(s, p);
                fireSchedules(s, p);
            }
            s.gauges().update(s.queue().counts());
        }
    }

    private void sweep(Served s, int partition) {
        for (int call = 0; call < settings.maxCallsPerTick(); call++) {
            SweepResult r = s.queue().sweep(partition, settings.sweepLimit());
            if (r.swept() > 0) {
                s.gauges().expiredSwept.mark(r.swept());
                log.info("namespace {} partition {}: took back {} expired lease(s) ({} dead-lettered, {} parked)",
                        s.queue().settings().name(), partition, r.swept(), r.deadLettered(), r.parked());
            }
            if (!r.more()) {
                return;
            }
        }
    }

    private void promote(Served s, int partition) {
        for (int call = 0; call < settings.maxCallsPerTick(); call++) {
            KeyedQueue.Promoted r = s.queue().promoteDue(partition, settings.sweepLimit());
            s.gauges().delayedPromoted.mark(r.jobs());
            if (!r.more()) {
                return;
            }
        }
    }

    private void fireSchedules(Served s, int partition) {
        List<Schedules.Entry> entries = s.schedules().list(partition);
        if (entries.isEmpty()) {
            return;
        }
        long now = s.queue().redisTimeMs();
        long windowStart = now - settings.catchUpWindow().toMillis();
        for (Schedules.Entry e : entries) {
            Schedule schedule = e.schedule();
            // Ticks missed within the window all fire, oldest first; older ones are skipped, except
            // that with a zero window the latest missed tick still fires.
            int max = settings.catchUpWindow().isZero() ? 1 : 10_000;
            long after = settings.catchUpWindow().isZero() ? e.lastTickMs() : Math.max(e.lastTickMs(), windowStart - 1);
            for (long tick : schedule.ticksBetween(after, now, max)) {
                if (s.schedules().fire(schedule, tick)) {
                    s.gauges().scheduledFired.mark();
                }
            }
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        stop.countDown();
        try {
            thread.join(settings.redis().socketTimeout().toMillis() * 4 + settings.interval().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (ownsRedis) {
            redis.close();
        }
    }
}
