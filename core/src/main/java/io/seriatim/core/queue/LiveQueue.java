package io.seriatim.core.queue;

import io.seriatim.core.settings.NamespaceRegistry;
import io.seriatim.core.settings.NamespaceSettings;
import io.seriatim.core.settings.SettingsConflictException;
import io.seriatim.core.settings.StatedSettings;
import io.seriatim.core.settings.StoredSettings;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * A namespace's {@link KeyedQueue} for a long-running process, following the settings stored in
 * Redis: {@link #get()} reads them again once {@link NamespaceRegistry#REFRESH} has passed and,
 * when {@code seriatim namespace update} has changed them, answers a queue with the new ones from
 * then on. A call that has its queue already keeps it: the change applies from the next call.
 *
 * <p>The settings a process was started with are checked once, when it opens the namespace. A
 * later change in Redis wins, since the stored settings are the namespace's; when it contradicts
 * what the process was started with, a warning says that the process will be refused at its next
 * start unless its settings change too. If Redis cannot be read, the current queue stays and the
 * next call after the interval tries again.
 *
 * <p>On a Redis Cluster it also logs one warning when the namespace's partitions fall unevenly
 * over the masters ({@link MasterSpread#warning()}), at open and again whenever that changes
 * (a reshard, a failover), read with the settings.
 *
 * <p>Thread-safe: any thread may call {@link #get()}; the one that finds the interval passed
 * reads Redis (one HGETALL, and CLUSTER SLOTS on a cluster), the others go on meanwhile with
 * the current queue.
 */
public final class LiveQueue {
    private static final Logger log = LoggerFactory.getLogger(LiveQueue.class);

    private final UnifiedJedis redis;
    private final StatedSettings stated;
    private final long refreshNanos;
    private final ReentrantLock reading = new ReentrantLock();
    private volatile KeyedQueue current;
    private volatile long nextReadNanos;
    /** The spread warning logged last, null if none or the spread is even; guarded by {@link #reading}. */
    private String spreadWarning;

    LiveQueue(UnifiedJedis redis, StatedSettings stated, KeyedQueue first, Duration refresh) {
        this.redis = redis;
        this.stated = stated;
        this.current = first;
        this.refreshNanos = refresh.toNanos();
        this.nextReadNanos = System.nanoTime() + refreshNanos;
    }

    /**
     * Opens a namespace as {@link KeyedQueue#open(UnifiedJedis, StatedSettings)} does: registers
     * it on first use (workers, sweepers).
     *
     * @throws SettingsConflictException if a stated setting differs from the stored one
     */
    public static LiveQueue open(UnifiedJedis redis, StatedSettings stated) {
        return watched(new LiveQueue(redis, stated, KeyedQueue.open(redis, stated), NamespaceRegistry.REFRESH));
    }

    /**
     * Opens a namespace that must exist (gateways never create one), checking {@code stated}
     * against its stored settings.
     *
     * @throws UnknownNamespaceException if it was never registered
     * @throws SettingsConflictException if a stated setting differs from the stored one
     */
    public static LiveQueue openExisting(UnifiedJedis redis, StatedSettings stated) {
        KeyedQueue q = KeyedQueue.openExisting(redis, stated.name());
        stated.check(q.settings());
        return watched(new LiveQueue(redis, stated, q, NamespaceRegistry.REFRESH));
    }

    private static LiveQueue watched(LiveQueue live) {
        live.reading.lock();
        try {
            live.checkSpread();
        } finally {
            live.reading.unlock();
        }
        return live;
    }

    public String name() {
        return stated.name();
    }

    /** The queue with the namespace's current settings (at most {@link NamespaceRegistry#REFRESH} old). */
    public KeyedQueue get() {
        if (System.nanoTime() - nextReadNanos < 0 || !reading.tryLock()) {
            return current;
        }
        try {
            if (System.nanoTime() - nextReadNanos >= 0) {
                nextReadNanos = System.nanoTime() + refreshNanos;
                reread();
            }
            return current;
        } finally {
            reading.unlock();
        }
    }

    private void reread() {
        KeyedQueue fresh;
        try {
            fresh = KeyedQueue.openExisting(redis, stated.name());
        } catch (RuntimeException e) { // the caller's own Redis calls report an outage
            log.debug("namespace {}: could not read its settings, keeping the current ones: {}", stated.name(), e.toString());
            return;
        }
        follow(fresh);
        checkSpread();
    }

    private void follow(KeyedQueue fresh) {
        NamespaceSettings before = current.settings();
        NamespaceSettings after = fresh.settings();
        if (after.equals(before)) {
            return;
        }
        log.info("namespace {}: stored settings changed ({}); applying them", stated.name(),
                StoredSettings.changes(before, after));
        Optional<SettingsConflictException> conflict = stated.conflictWith(after);
        conflict.ifPresent(c -> log.warn("namespace {}: this process was started with {}, which Redis no longer has: it "
                + "follows Redis, and will be refused at its next start unless started with the stored values or "
                + "without these settings", stated.name(), c.mismatches().stream()
                        .map(m -> m.setting() + "=" + m.given()).collect(Collectors.joining(", "))));
        current = fresh;
    }

    /** Logs the spread warning when there is one and it is not the one logged last. */
    private void checkSpread() {
        String warning;
        try {
            warning = current.spread().flatMap(MasterSpread::warning).orElse(null);
        } catch (RuntimeException e) { // an outage: the caller's own calls report it
            log.debug("namespace {}: could not read the cluster's masters: {}", stated.name(), e.toString());
            return;
        }
        if (warning != null && !warning.equals(spreadWarning)) {
            log.warn("{}", warning);
        }
        spreadWarning = warning;
    }
}
