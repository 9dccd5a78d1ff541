package io.seriatim.core.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.seriatim.core.keys.NamespaceKeys;
import io.seriatim.core.settings.NamespaceRegistry;
import io.seriatim.core.settings.StoredSettings;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import redis.clients.jedis.UnifiedJedis;

/**
 * The invariant every script keeps (docs/redis-layout.md), checked on the whole Redis state of a
 * namespace after every script call of the script tests and after every step of the model test:
 * <ul>
 *   <li>a key with pending jobs is in exactly one of ready / leases / parked; a key without
 *       pending jobs is in none, and has no attempts counted;
 *   <li>owners has an entry exactly for the leased keys, each {@code fence|grantedAt|jobsRun|worker}
 *       with a fence the partition has granted;
 *   <li>an operator act waits ({@code deferred}) only for a leased key, and a key has staged
 *       jobs exactly when its act is a replay to the head: acts never take a key from its holder;
 *   <li>the stats {@code pending} counter equals the jobs in the lists;
 *   <li>every stored job, pending or dead, decodes as a {@code StoredJob} with a non-zero id, and
 *       a pending id is pending once;
 *   <li>each ordering key lives in the partition {@code crc32 mod P} names, nothing outside the
 *       layout exists under the namespace's hash tags, and a doorbell holds at most one token;
 *   <li>a registered namespace has its settings stored, every setting and nothing else, valid,
 *       with the registry's partition count, recorded no later than last changed; an unregistered
 *       one has none.
 * </ul>
 */
final class InvariantChecker {
    private static final Pattern OWNER = Pattern.compile("^(\\d+)\\|(\\d+)\\|(\\d+)\\|(.*)$", Pattern.DOTALL);

    private InvariantChecker() {}

    static RedisState check(UnifiedJedis redis, NamespaceKeys keys, String context) {
        RedisState s = RedisState.read(redis, keys);
        Set<String> all = new TreeSet<>(s.queues().keySet());
        all.addAll(s.ready().keySet());
        all.addAll(s.leases().keySet());
        all.addAll(s.parked().keySet());
        all.addAll(s.attempts().keySet());
        for (String key : all) {
            boolean pending = !s.queues().getOrDefault(key, List.of()).isEmpty();
            int places = (s.ready().containsKey(key) ? 1 : 0) + (s.leases().containsKey(key) ? 1 : 0)
                    + (s.parked().containsKey(key) ? 1 : 0);
            assertThat(places)
                    .as("%s: key '%s' (pending=%s) is in ready=%s leases=%s parked=%s", context, key, pending,
                            s.ready().containsKey(key), s.leases().containsKey(key), s.parked().containsKey(key))
                    .isEqualTo(pending ? 1 : 0);
            if (!pending) {
                assertThat(s.attempts()).as("%s: attempts of key '%s' without jobs", context, key)
                        .doesNotContainKey(key);
            }
        }
        assertThat(s.owners().keySet()).as("%s: owners match leases", context).isEqualTo(s.leases().keySet());
        s.owners().forEach((key, value) -> {
            Matcher m = OWNER.matcher(value);
            assertThat(m.matches()).as("%s: owner of '%s' is fence|grantedAt|jobsRun|worker: %s", context, key, value)
                    .isTrue();
            long granted = s.fences().get(keys.partitionIndex(key));
            assertThat(Long.parseLong(m.group(1))).as("%s: fence of '%s' was granted", context, key)
                    .isBetween(1L, granted);
        });
        assertThat(s.leases().keySet()).as("%s: acts wait only for leased keys", context)
                .containsAll(s.deferred().keySet());
        s.deferred().forEach((key, act) -> assertThat(act).as("%s: act of '%s'", context, key)
                .matches("^(10|01|11)\\|.*$"));
        assertThat(s.staged().keySet()).as("%s: staged jobs exactly for acts that replay to the head", context)
                .isEqualTo(s.deferred().entrySet().stream().filter(e -> e.getValue().charAt(1) == '1')
                        .map(Map.Entry::getKey).collect(java.util.stream.Collectors.toSet()));
        long jobs = s.queues().values().stream().mapToLong(List::size).sum();
        assertThat(s.pendingCounter()).as("%s: stats pending counter", context).isEqualTo(jobs);
        long stagedJobs = s.staged().values().stream().mapToLong(List::size).sum();
        assertThat(java.util.stream.Stream.concat(s.queues().values().stream(), s.staged().values().stream())
                .flatMap(List::stream).distinct().count())
                .as("%s: a pending or staged job is there once", context).isEqualTo(jobs + stagedJobs);
        s.partitionsOf().forEach((key, partitions) -> assertThat(partitions)
                .as("%s: key '%s' lives in its own partition", context, key)
                .containsExactly(keys.partitionIndex(key)));
        assertThat(s.otherKeys()).as("%s: keys outside the layout", context).isEmpty();
        s.bells().forEach((p, tokens) -> assertThat(tokens).as("%s: bell of partition %s", context, p)
                .isLessThanOrEqualTo(1));
        checkStoredSettings(redis, keys, context);
        return s;
    }

    private static void checkStoredSettings(UnifiedJedis redis, NamespaceKeys keys, String context) {
        String registered = redis.hget(NamespaceKeys.REGISTRY, keys.namespace());
        Map<String, String> hash = redis.hgetAll(NamespaceKeys.settings(keys.namespace()));
        if (registered == null) {
            assertThat(hash).as("%s: settings of an unregistered namespace", context).isEmpty();
            return;
        }
        StoredSettings stored = new NamespaceRegistry(redis).read(keys.namespace()).orElseThrow(); // decodes and checks each value
        assertThat(stored.recorded()).as("%s: settings of a registered namespace are stored", context).isTrue();
        assertThat(hash).as("%s: the settings hash holds every setting and nothing else", context)
                .isEqualTo(stored.fields());
        assertThat(stored.settings().partitions()).as("%s: stored partitions", context)
                .isEqualTo(Integer.parseInt(registered)).isEqualTo(keys.partitionCount());
        assertThat(stored.createdAtMs()).as("%s: settings recorded before last changed", context)
                .isLessThanOrEqualTo(stored.updatedAtMs());
    }
}
