package io.seriatim.core.queue;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.seriatim.core.keys.NamespaceKeys;
import io.seriatim.core.keys.PartitionKeys;
import io.seriatim.proto.v1.StoredJob;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.resps.Tuple;

/**
 * Everything Redis holds for one namespace, read key by key (tests only: not atomic, and it
 * SCANs). Comparable with {@code equals}, so a test can assert that an operation changed nothing.
 */
record RedisState(Map<String, List<Long>> queues, Map<String, Double> ready, Map<String, Double> leases,
        Map<String, String> owners, Map<String, String> attempts, Map<String, String> parked, List<String> dlqKeys,
        List<Long> dlqJobIds, long pendingCounter, boolean paused) {

    static RedisState read(UnifiedJedis redis, NamespaceKeys keys) {
        Map<String, List<Long>> queues = new TreeMap<>();
        Map<String, Double> ready = new TreeMap<>();
        Map<String, Double> leases = new TreeMap<>();
        Map<String, String> owners = new TreeMap<>();
        Map<String, String> attempts = new TreeMap<>();
        Map<String, String> parked = new TreeMap<>();
        List<String> dlqKeys = new ArrayList<>();
        List<Long> dlqJobIds = new ArrayList<>();
        long pending = 0;
        boolean paused = false;
        for (PartitionKeys p : keys.partitions()) {
            String queuePrefix = p.prefix() + "q:";
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> page = redis.scan(cursor, new ScanParams().match(escapeGlob(queuePrefix) + "*")
                        .count(1000));
                for (String name : page.getResult()) {
                    List<Long> ids = new ArrayList<>();
                    for (byte[] stored : redis.lrange(name.getBytes(UTF_8), 0, -1)) {
                        ids.add(decodeId(stored, name));
                    }
                    queues.put(name.substring(queuePrefix.length()), ids);
                }
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
            scores(redis, p.ready(), ready);
            scores(redis, p.leases(), leases);
            owners.putAll(strings(redis.hgetAll(p.owners())));
            attempts.putAll(strings(redis.hgetAll(p.attempts())));
            parked.putAll(strings(redis.hgetAll(p.parked())));
            for (Object entry : redis.xrange(p.dlq(), "-".getBytes(UTF_8), "+".getBytes(UTF_8), Integer.MAX_VALUE)) {
                List<?> fields = (List<?>) ((List<?>) entry).get(1);
                Map<String, byte[]> f = new HashMap<>();
                for (int i = 0; i + 1 < fields.size(); i += 2) {
                    f.put(new String((byte[]) fields.get(i), UTF_8), (byte[]) fields.get(i + 1));
                }
                dlqKeys.add(new String(f.get("key"), UTF_8));
                dlqJobIds.add(decodeId(f.get("job"), "dlq"));
            }
            byte[] counter = redis.hget(p.stats(), "pending".getBytes(UTF_8));
            pending += counter == null ? 0 : Long.parseLong(new String(counter, UTF_8));
            paused |= redis.exists(p.paused());
        }
        return new RedisState(queues, ready, leases, owners, attempts, parked, dlqKeys, dlqJobIds, pending, paused);
    }

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

    private static void scores(UnifiedJedis redis, byte[] zset, Map<String, Double> into) {
        for (Tuple t : redis.zrangeWithScores(zset, 0, -1)) {
            into.put(new String(t.getBinaryElement(), UTF_8), t.getScore());
        }
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
