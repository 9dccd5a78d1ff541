package io.seriatim.core.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.seriatim.core.keys.NamespaceKeys;
import java.util.Set;
import java.util.TreeSet;
import redis.clients.jedis.UnifiedJedis;

/**
 * The invariant every script keeps, checked on the whole Redis state of a namespace:
 * a key with pending jobs is in exactly one of ready / leases / parked; a key without pending
 * jobs is in none; owners has an entry exactly for the leased keys; the pending counter equals
 * the jobs in the lists; every stored job decodes with an id.
 */
final class InvariantChecker {
    private InvariantChecker() {}

    static RedisState check(UnifiedJedis redis, NamespaceKeys keys, String context) {
        RedisState s = RedisState.read(redis, keys);
        Set<String> all = new TreeSet<>(s.queues().keySet());
        all.addAll(s.ready().keySet());
        all.addAll(s.leases().keySet());
        all.addAll(s.parked().keySet());
        for (String key : all) {
            boolean pending = s.queues().containsKey(key) && !s.queues().get(key).isEmpty();
            int places = (s.ready().containsKey(key) ? 1 : 0) + (s.leases().containsKey(key) ? 1 : 0)
                    + (s.parked().containsKey(key) ? 1 : 0);
            assertThat(places)
                    .as("%s: key '%s' (pending=%s) is in ready=%s leases=%s parked=%s", context, key, pending,
                            s.ready().containsKey(key), s.leases().containsKey(key), s.parked().containsKey(key))
                    .isEqualTo(pending ? 1 : 0);
        }
        assertThat(s.owners().keySet()).as("%s: owners match leases", context).isEqualTo(s.leases().keySet());
        long jobs = s.queues().values().stream().mapToLong(java.util.List::size).sum();
        assertThat(s.pendingCounter()).as("%s: stats pending counter", context).isEqualTo(jobs);
        return s;
    }
}
