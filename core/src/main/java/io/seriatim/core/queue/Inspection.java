package io.seriatim.core.queue;

import static io.seriatim.core.script.Args.num;
import static io.seriatim.core.script.Args.text;
import static java.nio.charset.StandardCharsets.UTF_8;

import io.seriatim.core.keys.NamespaceKeys;
import io.seriatim.core.keys.PartitionKeys;
import io.seriatim.core.redis.ClusterMasters;
import io.seriatim.core.redis.Pipelines;
import io.seriatim.core.script.Reply;
import io.seriatim.core.script.Script;
import io.seriatim.core.script.ScriptRunner;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.resps.Tuple;

/**
 * Read-only views for operators and metrics: one key's snapshot (inspect.lua), the namespace's
 * gauges and counters, and the Redis clock.
 *
 * <p>Stateless and thread-safe.
 */
final class Inspection {
    private final NamespaceKeys keys;
    private final ScriptRunner scripts;
    private final JobValidator validator;

    Inspection(NamespaceKeys keys, ScriptRunner scripts, JobValidator validator) {
        this.keys = keys;
        this.scripts = scripts;
        this.validator = validator;
    }

    KeyInspection inspect(String key, int peek) {
        validator.checkKey(key);
        PartitionKeys p = keys.partitionOf(key);
        Reply r = scripts.run(Script.INSPECT,
                List.of(p.ready(), p.leases(), p.owners(), p.attempts(), p.parked(), p.queue(key), p.deferred()),
                List.of(p.prefixBytes(), text(key), num(Math.max(0, peek))));
        return readInspect(r, key);
    }

    /** inspect's answer: {state, score, owner, attempts, parkedReason, pending, act, staged, problem, jobs...}. */
    private static KeyInspection readInspect(Reply r, String key) {
        KeyState state = KeyState.valueOf(r.text(0).toUpperCase(Locale.ROOT));
        int attempts = r.count(3);
        List<Job> head = new ArrayList<>();
        for (int i = 9; i < r.size(); i++) {
            head.add(JobCodec.decode(r.bytes(i), key, i == 9 ? attempts + 1 : 1));
        }
        String act = r.text(6); // "<park><head>|<reason>" (operator_acts.lua) or ''
        boolean parkWaits = act.startsWith("1");
        return new KeyInspection(key, state, r.integer(1), r.text(2), attempts, r.text(4), r.integer(5), head,
                parkWaits ? act.substring(act.indexOf('|') + 1) : "", r.integer(7),
                KeyInspection.Problem.of(r.text(8)));
    }

    QueueCounts counts() {
        return QueueCounts.sum(partitionCounts());
    }

    List<PartitionCounts> partitionCounts() {
        long now = redisTimeMs();
        return scripts.command("reading the counts of namespace '" + keys.namespace() + "'",
                redis -> partitionCounts(redis, now));
    }

    /** One pipeline over every partition: consistent per command, not across partitions. */
    private List<PartitionCounts> partitionCounts(UnifiedJedis redis, long now) {
        List<Response<Long>> ready = new ArrayList<>();
        List<Response<Long>> leased = new ArrayList<>();
        List<Response<Long>> expired = new ArrayList<>();
        List<Response<Long>> parked = new ArrayList<>();
        List<Response<Long>> dead = new ArrayList<>();
        List<Response<Boolean>> paused = new ArrayList<>();
        List<Response<List<Tuple>>> oldest = new ArrayList<>();
        List<Response<Map<byte[], byte[]>>> stats = new ArrayList<>();
        try (AbstractPipeline pipe = Pipelines.open(redis)) {
            for (PartitionKeys p : keys.partitions()) {
                ready.add(pipe.zcard(p.ready()));
                leased.add(pipe.zcard(p.leases()));
                expired.add(pipe.zcount(p.leases(), Double.NEGATIVE_INFINITY, (double) now)); // scores: expiry, Redis clock (sweep.lua)
                parked.add(pipe.hlen(p.parked()));
                dead.add(pipe.xlen(p.dlq()));
                paused.add(pipe.exists(p.paused()));
                oldest.add(pipe.zrangeWithScores(p.ready(), 0, 0));
                stats.add(pipe.hgetAll(p.stats()));
            }
            pipe.sync();
        }
        List<PartitionCounts> out = new ArrayList<>();
        for (int i = 0; i < keys.partitionCount(); i++) {
            long oldestAge = 0;
            for (Tuple t : oldest.get(i).get()) {
                oldestAge = Math.max(oldestAge, now - (long) t.getScore());
            }
            Map<String, Long> counters = new TreeMap<>();
            stats.get(i).get().forEach((k, v) -> counters.put(new String(k, UTF_8), Long.parseLong(new String(v, UTF_8))));
            out.add(new PartitionCounts(i, counters.getOrDefault("pending", 0L), ready.get(i).get(), leased.get(i).get(),
                    expired.get(i).get(), parked.get(i).get(), dead.get(i).get(), oldestAge, paused.get(i).get(), counters));
        }
        return out;
    }

    /** The cluster's masters now; empty on a standalone or Sentinel Redis. */
    Optional<ClusterMasters> masters() {
        return scripts.command("reading the cluster's masters", ClusterMasters::read);
    }

    @SuppressWarnings("deprecation") // Jedis 8 deprecates sendCommand and offers no TIME of its own
    long redisTimeMs() {
        List<?> t = scripts.command("reading the Redis clock", redis -> (List<?>) redis.sendCommand(Protocol.Command.TIME));
        // TIME answers {seconds, microseconds}.
        return Long.parseLong(new String((byte[]) t.get(0), UTF_8)) * 1000
                + Long.parseLong(new String((byte[]) t.get(1), UTF_8)) / 1000;
    }
}
