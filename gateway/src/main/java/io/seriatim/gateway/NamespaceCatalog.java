package io.seriatim.gateway;

import io.seriatim.core.queue.KeyedQueue;
import io.seriatim.core.settings.NamespaceSettings;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import redis.clients.jedis.UnifiedJedis;

/**
 * The namespaces the gateway has seen, opened as they exist in Redis (an unknown name is refused,
 * never created by a client). Thread-safe; entries never change once loaded because a namespace's
 * partition count is fixed.
 */
final class NamespaceCatalog {
    private final UnifiedJedis redis;
    private final Map<String, KeyedQueue> open = new ConcurrentHashMap<>();

    NamespaceCatalog(UnifiedJedis redis) {
        this.redis = redis;
    }

    /** @throws io.seriatim.core.queue.UnknownNamespaceException if it was never registered */
    KeyedQueue get(String name) {
        KeyedQueue q = open.get(name);
        if (q != null) {
            return q;
        }
        q = KeyedQueue.openExisting(redis, NamespaceSettings.builder(name), name);
        open.putIfAbsent(name, q);
        return q;
    }
}
