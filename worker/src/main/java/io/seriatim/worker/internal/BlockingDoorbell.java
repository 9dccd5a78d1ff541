package io.seriatim.worker.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.seriatim.core.keys.NamespaceKeys;
import io.seriatim.core.keys.PartitionKeys;
import io.seriatim.core.redis.RedisConnector;
import io.seriatim.core.redis.RedisSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.util.KeyValue;

/**
 * The doorbell of a standalone or Sentinel-managed Redis, where one server holds every
 * partition's bell: one BLPOP over all of them, answering the partition whose bell it popped.
 *
 * <p>Standalone: on a connection of its own, so that {@link #close()} ends a long wait at once by
 * closing it. Sentinel: on a pooled connection, whose master the Sentinel client follows through
 * failovers; close() cannot cut that wait short, so it blocks at most
 * {@link RedisConnector#LONGEST_POOLED_BLOCK}.
 *
 * <p>The claimer thread waits; close() may come from any thread.
 */
final class BlockingDoorbell implements Doorbell {
    private static final int[] NONE = {};

    private final RedisSettings settings;
    private final UnifiedJedis redis;
    private final Duration longestWait;
    private final byte[][] bells;
    private final Map<String, Integer> partitionOfBell = new HashMap<>();
    private volatile boolean closed;
    /** Standalone only: created and used by the claimer, closed by close() to end a wait. */
    private volatile Jedis connection;

    /** @param longestWait the longest {@link #await} is asked for: the worker's idle wait */
    BlockingDoorbell(RedisSettings settings, UnifiedJedis redis, NamespaceKeys keys, Duration longestWait) {
        this.settings = settings;
        this.redis = redis;
        this.longestWait = longestWait;
        this.bells = keys.partitions().stream().map(PartitionKeys::bell).toArray(byte[][]::new);
        for (PartitionKeys p : keys.partitions()) {
            partitionOfBell.put(new String(p.bell(), UTF_8), p.partition());
        }
    }

    @Override
    public void start() {}

    @Override
    public int[] await(long ms) {
        if (closed) {
            return NONE;
        }
        double seconds = Math.max(0.01, Math.min(ms, longestWait.toMillis()) / 1000.0);
        KeyValue<byte[], byte[]> rang = settings.mode() == RedisSettings.Mode.STANDALONE
                ? awaitOnOwnConnection(seconds)
                : redis.blpop(Math.min(seconds, RedisConnector.LONGEST_POOLED_BLOCK.toMillis() / 1000.0), bells);
        return rang == null ? NONE : new int[] {partitionOfBell.get(new String(rang.getKey(), UTF_8))};
    }

    private KeyValue<byte[], byte[]> awaitOnOwnConnection(double seconds) {
        Jedis c = connection;
        if (c == null || !c.isConnected()) {
            if (c != null) {
                c.close();
            }
            c = RedisConnector.blockingConnection(settings, longestWait).orElseThrow();
            connection = c;
            if (closed) { // close() ran before it could see this connection
                c.close();
                return null;
            }
        }
        try {
            return c.blpop(seconds, bells);
        } catch (RuntimeException e) {
            c.close();
            connection = null;
            if (closed) {
                return null;
            }
            throw e;
        }
    }

    @Override
    public void close() {
        closed = true;
        Jedis c = connection;
        if (c != null) {
            c.disconnect(); // ends a blocked BLPOP at once
        }
    }
}
