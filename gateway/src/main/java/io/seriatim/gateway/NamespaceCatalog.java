package io.seriatim.gateway;

import io.seriatim.core.queue.KeyedQueue;
import io.seriatim.core.queue.LiveQueue;
import io.seriatim.core.settings.StatedSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import redis.clients.jedis.UnifiedJedis;

/**
 * The namespaces the gateway has seen, opened as they exist in Redis (an unknown name is refused,
 * never created by a client) with their stored settings: the payload, key and header limits and
 * the dedup window a submit meets are the namespace's, followed as they change ({@link LiveQueue}).
 * The namespaces the gateway was started with settings for are opened, and those settings
 * checked, by {@link #openStated()}. Thread-safe.
 */
final class NamespaceCatalog {
    private final UnifiedJedis redis;
    private final Map<String, StatedSettings> stated = new LinkedHashMap<>();
    private final Map<String, LiveQueue> open = new ConcurrentHashMap<>();

    NamespaceCatalog(UnifiedJedis redis, List<StatedSettings> stated) {
        this.redis = redis;
        stated.forEach(s -> this.stated.put(s.name(), s));
    }

    /**
     * Opens every namespace the gateway was started with settings for, at start.
     *
     * @throws io.seriatim.core.queue.UnknownNamespaceException if one was never registered
     * @throws io.seriatim.core.settings.SettingsConflictException if its stored settings differ
     */
    void openStated() {
        stated.keySet().forEach(this::get);
    }

    /** @throws io.seriatim.core.queue.UnknownNamespaceException if it was never registered */
    KeyedQueue get(String name) {
        LiveQueue q = open.get(name);
        if (q == null) {
            q = LiveQueue.openExisting(redis, stated.getOrDefault(name, StatedSettings.adopt(name)));
            LiveQueue raced = open.putIfAbsent(name, q);
            q = raced == null ? q : raced;
        }
        return q.get();
    }
}
