package io.seriatim.sweeper;

import com.codahale.metrics.MetricRegistry;
import io.seriatim.core.queue.KeyedQueue;
import io.seriatim.core.queue.LiveQueue;
import io.seriatim.core.queue.Promoted;
import io.seriatim.core.queue.RepairCursor;
import io.seriatim.core.queue.RepairPage;
import io.seriatim.core.queue.SweepResult;
import io.seriatim.core.redis.RedisConnector;
import io.seriatim.core.redis.RedisUnavailableException;
import io.seriatim.core.schedule.Schedule;
import io.seriatim.core.schedule.Schedules;
import io.seriatim.core.settings.StatedSettings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
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
 * Each namespace is swept with its own stored attempt limit and failure policy, followed as they
 * change ({@link LiveQueue}).
 *
 * <p>Owns one platform thread ({@code seriatim-sweeper}) and, when it opened them, its Redis
 * connections; {@link #close()} stops the thread (waiting for the current tick) and closes them.
 * Redis being down is logged and retried with backoff; the loop never exits on its own.
 */
public final class Sweeper implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Sweeper.class);

    /** One tick's handles of a namespace: the queue with its current settings, its schedules and its gauges. */
    private record Served(KeyedQueue queue, Schedules schedules, NamespaceGauges gauges) {}

    private final SweeperSettings settings;
    private final UnifiedJedis redis;
    private final boolean ownsRedis;
    private final MetricRegistry metrics;
    /** The served namespaces, opened once (at start, or by the first tick Redis answers). */
    private List<LiveQueue> namespaces = List.of();
    private final List<NamespaceGauges> gauges = new ArrayList<>();
    /** Per namespace, where each partition's repair pass stands (sweeper thread only). */
    private final Map<String, RepairCursor[]> repairCursors = new HashMap<>();
    private final Thread thread;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final AtomicBoolean closed = new AtomicBoolean();
    /** One tick at a time: the loop's and any caller's of {@link #tick()}; guards {@link #namespaces}. */
    private final ReentrantLock tickLock = new ReentrantLock();

    private Sweeper(SweeperSettings settings, UnifiedJedis redis, boolean ownsRedis, MetricRegistry metrics) {
        this.settings = settings;
        this.redis = redis;
        this.ownsRedis = ownsRedis;
        this.metrics = metrics;
        this.thread = Thread.ofPlatform().name("seriatim-sweeper").daemon().unstarted(this::loop);
    }

    /**
     * Starts a sweeper with its own Redis connections.
     *
     * @throws io.seriatim.core.settings.SettingsConflictException if a namespace's stated settings
     *         differ from the stored ones
     */
    public static Sweeper start(SweeperSettings settings, MetricRegistry metrics) {
        UnifiedJedis redis = RedisConnector.connect(settings.redis());
        try {
            return start(new Sweeper(settings, redis, true, metrics));
        } catch (RuntimeException e) {
            redis.close();
            throw e;
        }
    }

    /** Starts a sweeper on a Redis client the caller owns; refused as {@link #start(SweeperSettings, MetricRegistry)} is. */
    public static Sweeper start(SweeperSettings settings, MetricRegistry metrics, UnifiedJedis redis) {
        return start(new Sweeper(settings, redis, false, metrics));
    }

    private static Sweeper start(Sweeper s) {
        // Opened before the loop runs, so that settings contradicting the stored ones refuse the
        // sweeper at once; with Redis down, the first tick that reaches it opens them (and logs a
        // contradiction found then with every retry).
        s.tickLock.lock();
        try {
            s.openNamespaces();
        } catch (RedisUnavailableException e) {
            log.warn("Redis unavailable at start, the sweeper retries: {}", e.getMessage());
        } finally {
            s.tickLock.unlock();
        }
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

    /** Opens the namespaces, all or none, so that one that failed to open is tried again whole. */
    private void openNamespaces() {
        if (namespaces.isEmpty()) {
            List<LiveQueue> opened = new ArrayList<>();
            for (StatedSettings ns : settings.namespaces()) {
                opened.add(LiveQueue.open(redis, ns));
            }
            opened.forEach(q -> gauges.add(new NamespaceGauges(metrics, q.name())));
            namespaces = opened;
        }
    }

    private void tickLocked() {
        openNamespaces();
        for (int n = 0; n < namespaces.size(); n++) {
            KeyedQueue q = namespaces.get(n).get();
            Served s = new Served(q, new Schedules(redis, q), gauges.get(n));
            for (int p = 0; p < s.queue().partitionCount(); p++) {
                sweep(s, p);
                promote(s, p);
                fireSchedules(s, p);
                repair(s, p);
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

    /**
     * A few bounded pages of the partition's repair pass, going on where the last tick stopped:
     * each key mended is logged by name and counted ({@code keys-repaired}).
     */
    private void repair(Served s, int partition) {
        if (settings.repairPagesPerTick() == 0) {
            return;
        }
        String ns = s.queue().settings().name();
        RepairCursor[] cursors = repairCursors.computeIfAbsent(ns, n -> new RepairCursor[s.queue().partitionCount()]);
        RepairCursor at = cursors[partition] == null ? RepairCursor.start() : cursors[partition];
        for (int page = 0; page < settings.repairPagesPerTick(); page++) {
            RepairPage r = s.queue().repairPage(partition, at, settings.repairPageKeys());
            for (RepairPage.Mended m : r.mended()) {
                log.warn("namespace {} partition {}: repaired key {} ({})", ns, partition, m.key(), m.problem());
            }
            s.gauges().repaired.mark(r.mended().size());
            at = r.next();
            cursors[partition] = at;
            if (r.passDone()) {
                return; // a whole pass is enough for one tick
            }
        }
    }

    private void promote(Served s, int partition) {
        for (int call = 0; call < settings.maxCallsPerTick(); call++) {
            Promoted r = s.queue().promoteDue(partition, settings.sweepLimit());
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
