package io.seriatim.core.queue;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.seriatim.core.keys.NamespaceKeys;
import io.seriatim.core.keys.PartitionKeys;
import io.seriatim.core.redis.Pipelines;
import io.seriatim.core.script.ScriptRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.params.ZRangeParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.resps.Tuple;

/**
 * Operators' listings of a namespace's keys. Plain reads, no script: a listing changes nothing,
 * and it need not be one consistent snapshot (each key's line is what Redis held when it was read).
 *
 * <p>{@link #stuck} reads only what is stuck or nearly so, never every key: the expired leases
 * ({@code ZRANGEBYSCORE leases} up to now minus the grace), the owners of the leases held now
 * (as many as the workers' concurrency), the parked hash (its count, and one page of it), the
 * keys ready only in the future (backoffs) and the count of overdue delayed jobs. Its cost grows
 * with the stuck keys and the keys running now, not with the namespace's size.
 * {@link #top} must look at every key: it scans ready, leases and parked a page at a time.
 *
 * <p>Stateless and thread-safe.
 */
final class KeyListing {
    private static final int PAGE = 1000;
    private static final byte[] FIRST = ScanParams.SCAN_POINTER_START_BINARY;

    private final NamespaceKeys keys;
    private final ScriptRunner scripts;

    KeyListing(NamespaceKeys keys, ScriptRunner scripts) {
        this.keys = keys;
        this.scripts = scripts;
    }

    StuckKeys stuck(long nowMs, Duration runningLongerThan, Duration grace, int limit) {
        return scripts.command("listing the stuck keys of namespace '" + keys.namespace() + "'",
                redis -> stuck(redis, nowMs, runningLongerThan.toMillis(), grace.toMillis(), limit));
    }

    private StuckKeys stuck(UnifiedJedis redis, long now, long longMs, long graceMs, int limit) {
        List<StuckKey> found = new ArrayList<>();
        long parkedKeys = 0;
        boolean paused = false;
        long overdue = 0;
        long oldestOverdue = -1;
        for (PartitionKeys p : keys.partitions()) {
            paused |= redis.exists(p.paused());
            Map<String, LeaseOwner> owners = owners(redis.hgetAll(p.owners()));
            for (Tuple t : redis.zrangeWithScores(p.leases(), ZRangeParams.zrangeByScoreParams(Double.NEGATIVE_INFINITY, (double) (now - graceMs)).limit(0, limit + 1))) {
                String key = new String(t.getBinaryElement(), UTF_8);
                LeaseOwner o = owners.remove(key);
                found.add(new StuckKey(key, StuckKey.Reason.LEASE_EXPIRED, (long) t.getScore(), -1, attempts(redis, p, key),
                        o == null ? "" : o.workerId(), o == null ? -1 : o.fence(), ""));
            }
            owners.forEach((key, o) -> {
                if (now - o.grantedAtMs() >= longMs) {
                    found.add(new StuckKey(key, StuckKey.Reason.RUNNING_LONG, o.grantedAtMs(), -1, attempts(redis, p, key),
                            o.workerId(), o.fence(), ""));
                }
            });
            parkedKeys += redis.hlen(p.parked());
            ScanResult<Map.Entry<byte[], byte[]>> parked = redis.hscan(p.parked(), FIRST, new ScanParams().count(limit + 1));
            for (Map.Entry<byte[], byte[]> e : parked.getResult()) {
                String key = new String(e.getKey(), UTF_8);
                found.add(new StuckKey(key, StuckKey.Reason.PARKED, -1, -1, attempts(redis, p, key), "", -1,
                        new String(e.getValue(), UTF_8)));
            }
            for (Tuple t : redis.zrangeWithScores(p.ready(), ZRangeParams.zrangeByScoreParams((double) (now + 1), Double.POSITIVE_INFINITY).limit(0, limit + 1))) {
                String key = new String(t.getBinaryElement(), UTF_8);
                found.add(new StuckKey(key, StuckKey.Reason.BACKING_OFF, -1, (long) t.getScore(), attempts(redis, p, key), "",
                        -1, ""));
            }
            long due = redis.zcount(p.delayed(), Double.NEGATIVE_INFINITY, (double) (now - graceMs));
            if (due > 0) {
                overdue += due;
                for (Tuple t : redis.zrangeWithScores(p.delayed(), 0, 0)) {
                    long at = (long) t.getScore();
                    oldestOverdue = oldestOverdue < 0 ? at : Math.min(oldestOverdue, at);
                }
            }
        }
        found.sort(Comparator.comparing(StuckKey::reason).thenComparing(StuckKey::key));
        boolean truncated = found.size() > limit;
        return new StuckKeys(List.copyOf(truncated ? found.subList(0, limit) : found), truncated, parkedKeys, paused,
                overdue, oldestOverdue, now);
    }

    private static Map<String, LeaseOwner> owners(Map<byte[], byte[]> raw) {
        Map<String, LeaseOwner> out = new java.util.TreeMap<>();
        raw.forEach((k, v) -> LeaseOwner.parse(new String(v, UTF_8)).ifPresent(o -> out.put(new String(k, UTF_8), o)));
        return out;
    }

    private static int attempts(UnifiedJedis redis, PartitionKeys p, String key) {
        byte[] v = redis.hget(p.attempts(), key.getBytes(UTF_8));
        return v == null ? 0 : Integer.parseInt(new String(v, UTF_8));
    }

    List<KeyRow> top(KeyRow.Order order, String prefix, int limit) {
        return scripts.command("listing the keys of namespace '" + keys.namespace() + "'",
                redis -> top(redis, order, prefix, limit));
    }

    private List<KeyRow> top(UnifiedJedis redis, KeyRow.Order order, String prefix, int limit) {
        Comparator<KeyRow> better = order == KeyRow.Order.DEPTH
                ? Comparator.comparingLong(KeyRow::depth).thenComparing(KeyRow::key, Comparator.reverseOrder())
                : Comparator.comparingLong((KeyRow r) -> r.headSubmitMs() < 0 ? Long.MIN_VALUE : -r.headSubmitMs()).thenComparing(KeyRow::key, Comparator.reverseOrder());
        PriorityQueue<KeyRow> kept = new PriorityQueue<>(better); // the worst kept row on top, dropped first
        ScanParams params = new ScanParams().count(PAGE);
        if (prefix != null && !prefix.isEmpty()) {
            params.match(glob(prefix) + "*");
        }
        for (PartitionKeys p : keys.partitions()) {
            for (KeyState state : List.of(KeyState.READY, KeyState.LEASED, KeyState.PARKED)) {
                byte[] cursor = FIRST;
                do {
                    List<String> page = new ArrayList<>();
                    if (state == KeyState.PARKED) {
                        ScanResult<Map.Entry<byte[], byte[]>> r = redis.hscan(p.parked(), cursor, params);
                        r.getResult().forEach(e -> page.add(new String(e.getKey(), UTF_8)));
                        cursor = r.getCursorAsBytes();
                    } else {
                        ScanResult<Tuple> r = redis.zscan(state == KeyState.READY ? p.ready() : p.leases(), cursor, params);
                        r.getResult().forEach(t -> page.add(new String(t.getBinaryElement(), UTF_8)));
                        cursor = r.getCursorAsBytes();
                    }
                    for (KeyRow row : rows(redis, p, state, page)) {
                        kept.add(row);
                        if (kept.size() > limit) {
                            kept.poll();
                        }
                    }
                } while (!java.util.Arrays.equals(cursor, FIRST));
            }
        }
        List<KeyRow> out = new ArrayList<>(kept);
        out.sort(better.reversed());
        return out;
    }

    /** One pipeline for a page of keys: each key's depth and head job. */
    private static List<KeyRow> rows(UnifiedJedis redis, PartitionKeys p, KeyState state, List<String> page) {
        if (page.isEmpty()) {
            return List.of();
        }
        List<Response<Long>> depths = new ArrayList<>();
        List<Response<byte[]>> heads = new ArrayList<>();
        try (AbstractPipeline pipe = Pipelines.open(redis)) {
            for (String key : page) {
                depths.add(pipe.llen(p.queue(key)));
                heads.add(pipe.lindex(p.queue(key), 0));
            }
            pipe.sync();
        }
        List<KeyRow> out = new ArrayList<>();
        for (int i = 0; i < page.size(); i++) {
            byte[] head = heads.get(i).get();
            out.add(new KeyRow(page.get(i), state, depths.get(i).get(),
                    head == null ? -1 : JobCodec.decode(head, page.get(i), 1).submittedAtMs()));
        }
        return out;
    }

    /** {@code prefix} with Redis glob's special characters escaped, for SCAN's MATCH. */
    static String glob(String prefix) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < prefix.length(); i++) {
            char c = prefix.charAt(i);
            if ("*?[]\\^".indexOf(c) >= 0) {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }
}
