package io.seriatim.cli;

import java.util.function.Supplier;
import redis.clients.jedis.UnifiedJedis;

/** A health check that Redis answers PING: null when healthy, else why not. */
final class RedisHealth {
    private RedisHealth() {}

    static Supplier<String> of(UnifiedJedis redis) {
        return () -> {
            try {
                redis.ping();
                return null;
            } catch (RuntimeException e) {
                return "Redis unreachable: " + e.getMessage();
            }
        };
    }
}
