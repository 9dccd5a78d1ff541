package io.seriatim.worker.internal;

import io.seriatim.core.keys.NamespaceKeys;
import io.seriatim.core.redis.RedisConnector;
import io.seriatim.core.redis.RedisSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * The doorbell of a Redis Cluster. The partitions' bells live in different slots, and one BLPOP
 * cannot span slots, so each partition has a watcher: a virtual thread with a connection of its
 * own to the master of the partition's slot, blocked in BLPOP on that one bell. When the bell
 * rings the watcher marks the partition in {@link RungPartitions}, where the claimer waits; it
 * listens again once the claimer has taken the partition. An idle watcher sends one BLPOP per
 * {@link #WAIT}: nothing else while nothing happens.
 *
 * <p>A watcher whose call fails (its master died, froze past {@link #WAIT} plus the socket
 * timeout, or answered MOVED after a failover) drops its connection, has the Cluster client read
 * the slot map again, logs one line, waits a backoff (200 ms, doubling up to 5 s) and connects to
 * the master its slot has now. A ring meanwhile is not lost: the token waits in the list, and the
 * claimer claims every partition at its idle wait anyway.
 *
 * <p>Threads: {@link #start()} starts the watchers, {@link #close()} stops them: it closes every
 * connection (which ends a blocked BLPOP at once) and joins them.
 */
final class BellWatchers implements Doorbell {
    private static final Logger log = LoggerFactory.getLogger(BellWatchers.class);

    /**
     * A watcher's BLPOP timeout. Longer costs less while idle (one command per watcher per WAIT);
     * shorter notices sooner a master that froze without closing its connections.
     */
    static final Duration WAIT = Duration.ofSeconds(5);
    private static final long FIRST_BACKOFF_MS = 200;
    private static final long MAX_BACKOFF_MS = 5_000;

    private final RedisSettings settings;
    private final RedisClusterClient cluster;
    private final NamespaceKeys keys;
    private final RungPartitions rung = new RungPartitions();
    /** Each watcher's connection, so that close() can close it under a blocked BLPOP. */
    private final AtomicReferenceArray<Jedis> connections;
    private final List<Thread> threads;
    private final CountDownLatch closed = new CountDownLatch(1);

    BellWatchers(RedisSettings settings, RedisClusterClient cluster, NamespaceKeys keys) {
        this.settings = settings;
        this.cluster = cluster;
        this.keys = keys;
        this.connections = new AtomicReferenceArray<>(keys.partitionCount());
        List<Thread> watchers = new ArrayList<>();
        for (int p = 0; p < keys.partitionCount(); p++) {
            int partition = p;
            watchers.add(Thread.ofVirtual().name("seriatim-bell-" + keys.namespace() + "-" + p)
                    .unstarted(() -> watch(partition)));
        }
        this.threads = List.copyOf(watchers);
    }

    @Override
    public void start() {
        threads.forEach(Thread::start);
    }

    @Override
    public int[] await(long ms) {
        return rung.take(ms);
    }

    private void watch(int p) {
        byte[] bell = keys.partition(p).bell();
        int slot = JedisClusterCRC16.getSlot(bell);
        long backoffMs = FIRST_BACKOFF_MS;
        HostAndPort node = null;
        boolean failing = false;
        Jedis connection = null;
        while (rung.awaitTaken(p)) {
            try {
                if (connection == null) {
                    node = masterOf(slot);
                    connection = open(p, node);
                    if (connection == null) {
                        return; // closed
                    }
                }
                boolean rang = connection.blpop(WAIT.toMillis() / 1000.0, bell) != null;
                if (failing) {
                    log.info("doorbell of partition {} of namespace {} heard again, at {}", p, keys.namespace(), node);
                    failing = false;
                    backoffMs = FIRST_BACKOFF_MS;
                }
                if (rang) {
                    rung.mark(p);
                }
            } catch (RuntimeException e) {
                if (connection != null) {
                    connection.close();
                    connection = null;
                    connections.set(p, null);
                }
                if (isClosed()) {
                    return;
                }
                log.warn("doorbell of partition {} of namespace {} unavailable at {} ({}); retrying in {} ms",
                        p, keys.namespace(), node == null ? "its master" : node, reason(e), backoffMs);
                failing = true;
                rereadSlotMap();
                if (pauseUntilClosed(backoffMs)) {
                    return;
                }
                backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
            }
        }
        if (connection != null) {
            connection.close();
        }
    }

    /** The master of {@code slot} in the Cluster client's slot map. */
    private HostAndPort masterOf(int slot) {
        // The client tells a slot's node only by lending a connection to it; an idle one comes back at once.
        try (Connection c = cluster.getConnectionFromSlot(slot)) {
            return c.getHostAndPort();
        }
    }

    /** A connection of watcher {@code p} to {@code node}, registered for close(); null if closed. */
    private Jedis open(int p, HostAndPort node) {
        Jedis c = RedisConnector.blockingConnection(settings, node, WAIT);
        connections.set(p, c);
        if (isClosed()) { // close() ran before it could see this connection
            c.close();
            return null;
        }
        return c;
    }

    private void rereadSlotMap() {
        try {
            cluster.refreshClusterTopology();
        } catch (JedisException e) {
            // No node answers now: the next connection attempt fails too, and says so.
        }
    }

    private static String reason(RuntimeException e) {
        Throwable cause = e.getCause();
        String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        return cause != null && cause.getMessage() != null && !message.contains(cause.getMessage())
                ? message + ": " + cause.getMessage() : message;
    }

    private boolean isClosed() {
        return closed.getCount() == 0;
    }

    /** Sleeps {@code ms} unless closed first; true if closed. */
    private boolean pauseUntilClosed(long ms) {
        try {
            return closed.await(ms, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    @Override
    public void close() {
        closed.countDown();
        rung.close();
        for (int p = 0; p < connections.length(); p++) {
            Jedis c = connections.get(p);
            if (c != null) {
                c.disconnect(); // ends a blocked BLPOP at once
            }
        }
        // A watcher may be connecting (connect timeout) or borrowing from a full pool to learn its
        // master (connect + socket timeout); it stops right after.
        long deadline = System.nanoTime() + settings.connectTimeout().plus(settings.socketTimeout()).toNanos();
        for (Thread t : threads) {
            try {
                t.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
