package io.seriatim.core.queue;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.seriatim.core.keys.NamespaceKeys;
import io.seriatim.core.keys.PartitionKeys;
import io.seriatim.proto.v1.StoredJob;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.resps.Tuple;

/**
 * Everything Redis holds for one namespace, read key by key and merged over partitions (an
 * ordering key lives in one partition; {@link #partitionsOf} says where each was seen). Tests
 * only: not atomic, and it SCANs. Every stored job, pending or dead, is decoded on the way: one
 * that is not a {@code StoredJob} with an id fails the read.
 *
 * @param queues       key -> pending job ids, head first (SCAN of {@code q:*})
 * @param dlqKeys      dead entries' keys, partition by partition, oldest first
 * @param dlqJobIds    dead entries' job ids, in the same order
 * @param stats        counters summed over partitions
 * @param fences       partition -> fence counter (0 when never granted)
 * @param bells        partition -> tokens in the doorbell list
 * @param partitionsOf ordering key -> partitions where any structure named it
 * @param otherKeys    Redis keys under the namespace's hash tags that are not part of the layout
 * @param deferred     leased key -> the operator act waiting for its lease to end
 * @param staged       key -> job ids a replay to the head put aside until its lease ends (SCAN of {@code staged:*})
 */
record RedisState(Map<String, List<Long>> queues, Map<String, Double> ready, Map<String, Double> leases,
        Map<String, String> owners, Map<String, String> attempts, Map<String, String> parked, List<String> dlqKeys,
        List<Long> dlqJobIds, Map<String, Long> stats, boolean paused, Map<Integer, Long> fences,
        Map<Integer, Long> bells, Map<String, Set<Integer>> partitionsOf, Set<String> otherKeys,
        Map<String, String> deferred, Map<String, List<Long>> staged) {

    long pendingCounter() {
        return stats.getOrDefault("pending", 0L);
    }

    static RedisState read(UnifiedJedis redis, NamespaceKeys keys) {
        Reader r = new Reader(redis);
        for (PartitionKeys p : keys.partitions()) {
            r.partition(p);
        }
        return new RedisState(r.queues, r.ready, r.leases, r.owners, r.attempts, r.parked, r.dlqKeys, r.dlqJobIds,
                r.stats, r.paused, r.fences, r.bells, r.partitionsOf, r.otherKeys, r.deferred, r.staged);
    }

    /** The id of a stored job; an {@link AssertionError} if the bytes are not a StoredJob with an id. */
    static long decodeId(byte[] stored, String where) {
        try {
            long id = StoredJob.parseFrom(stored).getId();
            if (id == 0) {
                throw new AssertionError("stored job without id in " + where);
            }
            return id;
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError("not a StoredJob in " + where, e);
        }
    }

    private static final class Reader {
        private static final Set<String> FIXED = Set.of("ready", "leases", "owners", "fence", "attempts", "parked",
                "dlq", "stats", "seq", "bell", "paused", "delayed", "schedules", "schedule-ticks", "deferred");

        final UnifiedJedis redis;
        final Map<String, List<Long>> queues = new TreeMap<>();
        final Map<String, Double> ready = new TreeMap<>();
        final Map<String, Double> leases = new TreeMap<>();
        final Map<String, String> owners = new TreeMap<>();
        final Map<String, String> attempts = new TreeMap<>();
        final Map<String, String> parked = new TreeMap<>();
        final List<String> dlqKeys = new ArrayList<>();
        final List<Long> dlqJobIds = new ArrayList<>();
        final Map<String, Long> stats = new TreeMap<>();
        final Map<Integer, Long> fences = new TreeMap<>();
        final Map<Integer, Long> bells = new TreeMap<>();
        final Map<String, Set<Integer>> partitionsOf = new TreeMap<>();
        final Set<String> otherKeys = new TreeSet<>();
        final Map<String, String> deferred = new TreeMap<>();
        final Map<String, List<Long>> staged = new TreeMap<>();
        boolean paused;

        Reader(UnifiedJedis redis) {
            this.redis = redis;
        }

        void partition(PartitionKeys p) {
            int partition = p.partition();
            for (String name : scan(p.prefix())) {
                String suffix = name.substring(p.prefix().length());
                if (suffix.startsWith("q:")) {
                    String key = suffix.substring(2);
                    List<Long> ids = new ArrayList<>();
                    for (byte[] stored : redis.lrange(name.getBytes(UTF_8), 0, -1)) {
                        ids.add(decodeId(stored, name));
                    }
                    queues.put(key, ids);
                    seen(key, partition);
                } else if (suffix.startsWith("staged:")) {
                    String key = suffix.substring(7);
                    List<Long> ids = new ArrayList<>();
                    for (byte[] stored : redis.lrange(name.getBytes(UTF_8), 0, -1)) {
                        ids.add(decodeId(stored, name));
                    }
                    staged.put(key, ids);
                    seen(key, partition);
                } else if (!FIXED.contains(suffix) && !suffix.startsWith("dedup:") && !suffix.matches("ids:\\d+")) {
                    otherKeys.add(name);
                }
            }
            collect(scores(p.ready()), ready, partition);
            collect(scores(p.leases()), leases, partition);
            collect(strings(redis.hgetAll(p.owners())), owners, partition);
            collect(strings(redis.hgetAll(p.attempts())), attempts, partition);
            collect(strings(redis.hgetAll(p.parked())), parked, partition);
            collect(strings(redis.hgetAll(p.deferred())), deferred, partition);
            for (Object entry : redis.xrange(p.dlq(), "-".getBytes(UTF_8), "+".getBytes(UTF_8))) {
                List<?> fields = (List<?>) ((List<?>) entry).get(1);
                Map<String, byte[]> f = new HashMap<>();
                for (int i = 0; i + 1 < fields.size(); i += 2) {
                    f.put(new String((byte[]) fields.get(i), UTF_8), (byte[]) fields.get(i + 1));
                }
                String key = new String(f.get("key"), UTF_8);
                dlqKeys.add(key);
                dlqJobIds.add(decodeId(f.get("job"), p.prefix() + "dlq"));
                seen(key, partition);
            }
            strings(redis.hgetAll(p.stats())).forEach((k, v) -> stats.merge(k, Long.parseLong(v), Long::sum));
            byte[] fence = redis.get(p.fence());
            fences.put(partition, fence == null ? 0 : Long.parseLong(new String(fence, UTF_8)));
            bells.put(partition, redis.llen(p.bell()));
            paused |= redis.exists(p.paused());
        }

        private <V> void collect(Map<String, V> found, Map<String, V> into, int partition) {
            found.keySet().forEach(key -> seen(key, partition));
            into.putAll(found);
        }

        private void seen(String key, int partition) {
            partitionsOf.computeIfAbsent(key, k -> new TreeSet<>()).add(partition);
        }

        private List<String> scan(String prefix) {
            List<String> names = new ArrayList<>();
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> page = redis.scan(cursor, new ScanParams().match(escapeGlob(prefix) + "*")
                        .count(1000));
                names.addAll(page.getResult());
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
            return names;
        }

        private Map<String, Double> scores(byte[] zset) {
            Map<String, Double> out = new TreeMap<>();
            for (Tuple t : redis.zrangeWithScores(zset, 0, -1)) {
                out.put(new String(t.getBinaryElement(), UTF_8), t.getScore());
            }
            return out;
        }

        private static Map<String, String> strings(Map<byte[], byte[]> raw) {
            Map<String, String> out = new TreeMap<>();
            raw.forEach((k, v) -> out.put(new String(k, UTF_8), new String(v, UTF_8)));
            return out;
        }

        private static String escapeGlob(String s) {
            return s.replaceAll("([\\[\\]*?\\\\])", "\\\\$1");
        }
    }
}
