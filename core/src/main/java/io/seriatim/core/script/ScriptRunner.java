package io.seriatim.core.script;

import io.seriatim.core.redis.RedisErrors;
import io.seriatim.core.redis.RedisException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.IntStream;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;
import redis.clients.jedis.exceptions.JedisRedirectionException;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * Runs {@link Script}s by SHA (EVALSHA). A node that answers NOSCRIPT (after a restart, a SCRIPT
 * FLUSH, or a replica's promotion: replicas do not share their masters' script cache) gets the
 * script with SCRIPT LOAD, routed by the call's key to that same node, and the call is sent once
 * more; a second NOSCRIPT is thrown, never resent. SCRIPT LOAD rather than EVAL: Redis 7.4 and
 * later may evict scripts that only EVAL cached, never loaded ones.
 *
 * <p>On Redis 7 and later it runs each script's flagged source (see {@link Script.Memory}); it
 * finds out which Redis it talks to on its first call, and again after a NOSCRIPT (a restarted
 * Redis may be another version).
 *
 * <p>On Redis Cluster a pipeline bypasses the client's handling of moved slots, so after a
 * pipeline that met a node without an answer or a MOVED/ASK reply it has the client read the
 * slot map again: the next call goes to the slot's new master.
 *
 * <p>Thread-safe: it holds the client, whose connection pool is thread-safe, and one volatile
 * answer. Failures become {@link RedisException}s through {@link RedisErrors}.
 */
public final class ScriptRunner {
    /** One script call: what {@link #runAll} pipelines. */
    public record Call(Script script, List<byte[]> keys, List<byte[]> args) {}

    /** A script only Redis 7 and later compile: the probe for script flags. */
    private static final byte[] FLAGS_PROBE = "#!lua flags=no-writes\nreturn 1".getBytes(StandardCharsets.UTF_8);

    private final UnifiedJedis redis;
    /** Whether Redis takes script flags; null until asked. Racing first calls ask twice, harmlessly. */
    private volatile Boolean flagged;

    public ScriptRunner(UnifiedJedis redis) {
        this.redis = redis;
    }

    /** Whether this Redis runs the flagged sources (7.0 and later); asks Redis once, on {@code script}'s behalf. */
    private boolean flagged(Script script, byte[] sampleKey) {
        Boolean f = flagged;
        if (f == null) {
            try {
                scriptLoad(FLAGS_PROBE, sampleKey);
                f = true;
            } catch (JedisDataException e) {
                if (!String.valueOf(e.getMessage()).contains("compiling")) {
                    // LOADING, BUSY, NOPERM...: not an answer to the question; ask again next call
                    throw RedisErrors.ofScript(script.fileName(), e);
                }
                f = false; // Redis 6: the shebang line does not compile
            } catch (JedisException e) {
                throw RedisErrors.ofScript(script.fileName(), e);
            }
            flagged = f;
        }
        return f;
    }

    /**
     * Runs a plain command (or pipeline) on the client, its failure translated like a script's.
     *
     * @param during what the command does, for the message: "reading the Redis clock"
     */
    public <T> T command(String during, Function<UnifiedJedis, T> command) {
        return RedisErrors.call(during, () -> command.apply(redis));
    }

    public Reply run(Script script, List<byte[]> keys, List<byte[]> args) {
        script.checkCall(keys.size(), args.size());
        byte[] sampleKey = keys.getFirst();
        try {
            try {
                return Reply.of(script, redis.evalsha(script.shaBytes(flagged(script, sampleKey)), keys, args));
            } catch (JedisNoScriptException e) {
                return Reply.of(script, redis.evalsha(load(script, sampleKey), keys, args));
            }
        } catch (JedisException e) {
            throw RedisErrors.ofScript(script.fileName(), e);
        }
    }

    public Reply run(Call call) {
        return run(call.script(), call.keys(), call.args());
    }

    /**
     * SCRIPT LOAD of {@code script} on the node that holds {@code sampleKey}, after a NOSCRIPT
     * from it; returns the SHA to call. Asks again whether Redis takes flags: the node that lost
     * the script may have restarted as another version.
     */
    private byte[] load(Script script, byte[] sampleKey) {
        flagged = null;
        boolean withFlags = flagged(script, sampleKey);
        scriptLoad(script.sourceBytes(withFlags), sampleKey);
        return script.shaBytes(withFlags);
    }

    /**
     * SCRIPT LOAD on the node that holds {@code sampleKey}, and on it only; its error thrown as
     * Jedis raised it. Not {@code redis.scriptLoad(source, sampleKey)}: on a Cluster, Jedis 8
     * sends that to every node, replicas included, and fails it when any of them does not answer
     * (a paused replica cost each load three socket timeouts). A pipeline routes it by its key.
     */
    private void scriptLoad(byte[] source, byte[] sampleKey) {
        Response<byte[]> loaded;
        try (AbstractPipeline pipeline = redis.pipelined()) {
            loaded = pipeline.scriptLoad(source, sampleKey);
        }
        if (outcome(loaded) instanceof JedisException e) {
            throw e;
        }
    }

    /** The replies of a pipeline, in call order, and how many replicas confirmed its writes. */
    public record Replies(List<Reply> replies, long replicasReached) {}

    /**
     * Runs calls in one pipeline and returns their replies in order. When a call failed in Redis
     * it throws that call's error, the first in call order; the calls after it may have been
     * applied.
     *
     * <p>The calls that met NOSCRIPT (on a Cluster, those of the nodes that lack a script) are
     * sent again in a second pipeline that starts with SCRIPT LOAD on each of their slots, and
     * only they: the others ran. That keeps each key's calls in order as long as no call of the
     * same slot after a NOSCRIPT ran in the first pipeline, which happens only when another client
     * loaded the script between the two; then the NOSCRIPT calls of that slot are not resent but
     * fail ({@link io.seriatim.core.redis.RedisUnavailableException}), since running them now
     * would put them behind a later call on the same keys.
     */
    public List<Reply> runAll(List<Call> calls) {
        return runAll(calls, 0, 0).replies();
    }

    /**
     * As {@link #runAll(List)}, then, when {@code waitReplicas > 0}, Redis WAIT on the same
     * connection (WAIT only counts the writes of the connection it runs on): on the node of the
     * first call, and, when calls were sent again, also on the node of the first of those; the
     * lower count is returned.
     */
    public Replies runAll(List<Call> calls, int waitReplicas, long waitTimeoutMs) {
        if (calls.isEmpty()) {
            return new Replies(List.of(), 0);
        }
        if (calls.size() == 1 && waitReplicas == 0) {
            return new Replies(List.of(run(calls.getFirst())), 0);
        }
        for (Call call : calls) { // all before the pipeline: a refused call must not leave the others half sent
            call.script().checkCall(call.keys().size(), call.args().size());
        }
        Object[] outcomes = new Object[calls.size()];
        List<Integer> all = IntStream.range(0, calls.size()).boxed().toList();
        Call first = calls.getFirst();
        long replicas = pipeline(calls, all, flagged(first.script(), first.keys().getFirst()), false,
                waitReplicas, waitTimeoutMs, outcomes);
        List<Integer> again = retriable(calls, outcomes);
        if (!again.isEmpty()) {
            flagged = null; // a node without the script may have restarted as another version: ask again
            Call firstAgain = calls.get(again.getFirst());
            long reached = pipeline(calls, again, flagged(firstAgain.script(), firstAgain.keys().getFirst()), true,
                    waitReplicas, waitTimeoutMs, outcomes);
            replicas = Math.min(replicas, reached);
        }
        List<Reply> out = new ArrayList<>(calls.size());
        for (int i = 0; i < calls.size(); i++) {
            Script script = calls.get(i).script();
            if (outcomes[i] instanceof JedisException e) {
                throw RedisErrors.ofScript(script.fileName(), e);
            }
            out.add(Reply.of(script, outcomes[i]));
        }
        return new Replies(out, replicas);
    }

    /**
     * Sends the calls at {@code indices} in one pipeline, each call's reply or error put in
     * {@code outcomes} at its index; with {@code load}, SCRIPT LOAD of each script on each slot
     * first. Returns what WAIT answered, or 0 without one.
     */
    private long pipeline(List<Call> calls, List<Integer> indices, boolean withFlags, boolean load, int waitReplicas,
            long waitTimeoutMs, Object[] outcomes) {
        Response<Long> replicas = null;
        List<Response<Object>> replies = new ArrayList<>(indices.size());
        byte[] sampleKey = calls.get(indices.getFirst()).keys().getFirst();
        try (AbstractPipeline pipeline = redis.pipelined()) {
            if (load) {
                Map<Integer, Set<Script>> loaded = new HashMap<>();
                for (int i : indices) {
                    Call call = calls.get(i);
                    byte[] key = call.keys().getFirst();
                    if (loaded.computeIfAbsent(JedisClusterCRC16.getSlot(key), slot -> EnumSet.noneOf(Script.class))
                            .add(call.script())) {
                        pipeline.scriptLoad(call.script().sourceBytes(withFlags), key);
                    }
                }
            }
            for (int i : indices) {
                Call call = calls.get(i);
                replies.add(pipeline.evalsha(call.script().shaBytes(withFlags), call.keys(), call.args()));
            }
            if (waitReplicas > 0) {
                replicas = pipeline.waitReplicas(sampleKey, waitReplicas, waitTimeoutMs);
            }
            pipeline.sync();
        } catch (JedisException e) {
            refreshSlotsAfter(List.of(e));
            throw RedisErrors.ofScript(calls.get(indices.getFirst()).script().fileName(), e);
        }
        List<Object> got = new ArrayList<>(replies.size());
        for (Response<Object> reply : replies) {
            got.add(outcome(reply));
        }
        for (int k = 0; k < indices.size(); k++) {
            outcomes[indices.get(k)] = got.get(k);
        }
        refreshSlotsAfter(got);
        Object waited = replicas == null ? 0L : outcome(replicas);
        if (waited instanceof JedisException e) {
            throw RedisErrors.ofScript(calls.get(indices.getFirst()).script().fileName(), e);
        }
        return (Long) waited;
    }

    /** A reply, or the error that came instead, or an error saying that none came. */
    private static Object outcome(Response<?> reply) {
        try {
            return reply.get();
        } catch (JedisException e) {
            return e;
        } catch (IllegalStateException e) {
            // A multi-node pipeline leaves the replies of a node whose connection broke unset.
            return new JedisConnectionException("no answer from the node of this call", e);
        }
    }

    /**
     * The indices of the calls to send again: those that met NOSCRIPT, except those of a slot in
     * which a later call (after the slot's first NOSCRIPT) got any other outcome, which may
     * have run.
     */
    static List<Integer> retriable(List<Call> calls, Object[] outcomes) {
        Map<Integer, Integer> firstNoScript = new HashMap<>();
        Set<Integer> unsafe = new HashSet<>();
        for (int i = 0; i < calls.size(); i++) {
            int slot = JedisClusterCRC16.getSlot(calls.get(i).keys().getFirst());
            if (outcomes[i] instanceof JedisNoScriptException) {
                firstNoScript.putIfAbsent(slot, i);
            } else if (firstNoScript.containsKey(slot)) {
                unsafe.add(slot);
            }
        }
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < calls.size(); i++) {
            if (outcomes[i] instanceof JedisNoScriptException
                    && !unsafe.contains(JedisClusterCRC16.getSlot(calls.get(i).keys().getFirst()))) {
                out.add(i);
            }
        }
        return out;
    }

    /**
     * Has a Cluster client read the slot map again when a call met a node that did not answer or
     * that no longer serves the slot: a pipeline, unlike a single command, does not.
     */
    private void refreshSlotsAfter(List<?> outcomes) {
        if (!(redis instanceof RedisClusterClient cluster)) {
            return;
        }
        // Jedis reads MOVED and ASK replies as redirections; CLUSTERDOWN while a failover is under way.
        boolean moved = outcomes.stream().anyMatch(o -> o instanceof JedisConnectionException
                || o instanceof JedisRedirectionException
                || (o instanceof JedisDataException d && String.valueOf(d.getMessage()).startsWith("CLUSTERDOWN")));
        if (moved) {
            try {
                cluster.refreshClusterTopology();
            } catch (JedisException e) {
                // No node answers now: the next call tries again, and the caller has this call's own error.
            }
        }
    }
}
