package io.seriatim.core.script;

import io.seriatim.core.redis.Outcome;
import io.seriatim.core.redis.Pipelines;
import io.seriatim.core.redis.RedisErrors;
import io.seriatim.core.redis.RedisException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.IntStream;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Connection;
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
    /** One script call: what {@link #runEach} pipelines. */
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
        try {
            return flagged(sampleKey);
        } catch (JedisException e) {
            throw RedisErrors.ofScript(script.fileName(), e);
        }
    }

    /**
     * Whether this Redis runs the flagged sources, asked of the node of {@code sampleKey} unless
     * known; a failure is thrown as Jedis raised it. LOADING, BUSY, NOPERM...: not an answer to
     * the question, so the next call asks again.
     */
    private boolean flagged(byte[] sampleKey) {
        Boolean f = flagged;
        if (f == null) {
            try {
                scriptLoad(FLAGS_PROBE, sampleKey);
                f = true;
            } catch (JedisDataException e) {
                if (!String.valueOf(e.getMessage()).contains("compiling")) {
                    throw e;
                }
                f = false; // Redis 6: the shebang line does not compile
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
        return RedisErrors.call(during, () -> {
            try {
                return command.apply(redis);
            } catch (JedisException e) {
                refreshSlotsAfter(List.of(e)); // a pipeline of plain commands meets moved slots as scripts do
                throw e;
            } catch (IllegalStateException e) {
                // A Cluster pipeline whose node connection broke leaves replies unset ("Please close
                // pipeline..."): no answer came, as for a lost connection.
                JedisConnectionException lost = new JedisConnectionException("no answer from a node of this pipeline", e);
                refreshSlotsAfter(List.of(lost));
                throw lost;
            }
        });
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
        boolean withFlags = flagged(sampleKey);
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
        try (AbstractPipeline pipeline = Pipelines.open(redis)) {
            loaded = pipeline.scriptLoad(source, sampleKey);
        }
        if (outcome(loaded) instanceof JedisException e) {
            throw e;
        }
    }

    /**
     * What one call of {@link #runEach} came to.
     *
     * @param outcome         its reply, or its error
     * @param replicasReached how many replicas confirmed the writes of the pipeline on the call's
     *                        node (Redis WAIT); 0 without a WAIT, or when its WAIT failed
     */
    public record CallResult(Outcome<Reply> outcome, long replicasReached) {}

    /**
     * Runs calls in one pipeline and answers each call on its own, in call order: its reply, or
     * the error it met (translated by {@link RedisErrors}). On a Cluster a node that fails or
     * does not answer fails only the calls sent to it; the others' replies stand. After a call
     * that failed, the later calls of its slot are not sent (they fail with its error): they would
     * run ahead of it. A call that failed may still have been applied.
     *
     * <p>The calls that met NOSCRIPT (on a Cluster, those of the nodes that lack a script) are
     * sent again in a second pipeline that starts with SCRIPT LOAD on each of their slots, and
     * only they: the others ran. That keeps each key's calls in order as long as no call of the
     * same slot after a NOSCRIPT ran in the first pipeline, which happens only when another client
     * loaded the script between the two; then the NOSCRIPT calls of that slot are not resent but
     * fail ({@link io.seriatim.core.redis.RedisUnavailableException}), since running them now
     * would put them behind a later call on the same keys.
     *
     * <p>With {@code waitReplicas > 0}, each pipeline ends with Redis WAIT on every node it sent
     * calls to, on the pipeline's own connection to that node (WAIT counts only the writes of its
     * connection), each with {@code waitTimeoutMs}; the nodes wait at once, not one after another.
     * The connection's socket timeout must exceed {@code waitTimeoutMs}, or a WAIT that times
     * out fails its node's calls as unanswered instead of answering how many replicas confirmed.
     */
    public List<CallResult> runEach(List<Call> calls, int waitReplicas, long waitTimeoutMs) {
        for (Call call : calls) { // all before the pipeline: a refused call must not leave the others half sent
            call.script().checkCall(call.keys().size(), call.args().size());
        }
        if (calls.isEmpty()) {
            return List.of();
        }
        if (calls.size() == 1 && waitReplicas == 0) {
            try {
                return List.of(new CallResult(Outcome.of(run(calls.getFirst())), 0));
            } catch (RedisException e) {
                return List.of(new CallResult(Outcome.failed(e), 0));
            }
        }
        Object[] outcomes = new Object[calls.size()];
        long[] replicas = new long[calls.size()];
        List<Integer> all = IntStream.range(0, calls.size()).boxed().toList();
        pipeline(calls, all, false, waitReplicas, waitTimeoutMs, outcomes, replicas);
        List<Integer> again = retriable(calls, outcomes);
        if (!again.isEmpty()) {
            flagged = null; // a node without the script may have restarted as another version: ask again
            pipeline(calls, again, true, waitReplicas, waitTimeoutMs, outcomes, replicas);
        }
        List<CallResult> out = new ArrayList<>(calls.size());
        for (int i = 0; i < calls.size(); i++) {
            Script script = calls.get(i).script();
            out.add(outcomes[i] instanceof JedisException e
                    ? new CallResult(Outcome.failed(RedisErrors.ofScript(script.fileName(), e)), 0)
                    : new CallResult(Outcome.of(Reply.of(script, outcomes[i])), replicas[i]));
        }
        return out;
    }

    /**
     * Sends the calls at {@code indices} in one pipeline, each call's reply or error put in
     * {@code outcomes} at its index, and what WAIT answered on its node in {@code replicas}; with
     * {@code load}, SCRIPT LOAD of each script on each slot first.
     */
    private void pipeline(List<Call> calls, List<Integer> indices, boolean load, int waitReplicas, long waitTimeoutMs,
            Object[] outcomes, long[] replicas) {
        boolean withFlags;
        try {
            withFlags = flaggedByAnyOf(calls, indices);
        } catch (JedisException e) {
            indices.forEach(i -> outcomes[i] = e);
            refreshSlotsAfter(List.of(e));
            return;
        }
        List<Response<Object>> replies = new ArrayList<>(Collections.nCopies(indices.size(), null));
        // Why a slot's calls were not sent: the first of them that could not be.
        Map<Integer, JedisException> unsent = new HashMap<>();
        Map<Integer, Node> nodes = waitReplicas > 0 ? nodesOf(calls, indices) : Map.of();
        Map<Node, Response<Long>> waits = new LinkedHashMap<>();
        try (AbstractPipeline pipeline = Pipelines.open(redis)) {
            if (load) {
                Map<Integer, Set<Script>> loaded = new HashMap<>();
                for (int i : indices) {
                    Call call = calls.get(i);
                    byte[] key = call.keys().getFirst();
                    int slot = JedisClusterCRC16.getSlot(key);
                    if (!unsent.containsKey(slot)
                            && loaded.computeIfAbsent(slot, s -> EnumSet.noneOf(Script.class)).add(call.script())) {
                        try {
                            pipeline.scriptLoad(call.script().sourceBytes(withFlags), key);
                        } catch (JedisException e) { // a Cluster node that cannot be reached: its calls fail, not the others'
                            unsent.put(slot, e);
                        }
                    }
                }
            }
            for (int k = 0; k < indices.size(); k++) {
                Call call = calls.get(indices.get(k));
                int slot = JedisClusterCRC16.getSlot(call.keys().getFirst());
                if (!unsent.containsKey(slot)) {
                    try {
                        replies.set(k, pipeline.evalsha(call.script().shaBytes(withFlags), call.keys(), call.args()));
                    } catch (JedisException e) {
                        unsent.put(slot, e);
                    }
                }
            }
            if (waitReplicas > 0) {
                for (int i : indices) {
                    int slot = slotOf(calls, i);
                    Node node = nodes.get(slot);
                    if (!unsent.containsKey(slot) && !waits.containsKey(node)) {
                        try {
                            waits.put(node, pipeline.waitReplicas(calls.get(i).keys().getFirst(), waitReplicas,
                                    waitTimeoutMs));
                        } catch (JedisException e) {
                            // The node's connection broke since its calls were sent: they fail, or count 0 replicas.
                        }
                    }
                }
            }
        } catch (JedisException e) { // closing the pipeline sends it and reads the answers
            // No answer came at all (standalone: its one connection broke, or none could be had).
            for (int i : indices) {
                outcomes[i] = unsent.getOrDefault(slotOf(calls, i), e);
            }
            refreshSlotsAfter(List.of(e));
            return;
        }
        List<Object> got = new ArrayList<>(indices.size());
        for (int k = 0; k < indices.size(); k++) {
            Response<Object> reply = replies.get(k);
            got.add(reply == null ? unsent.get(slotOf(calls, indices.get(k))) : outcome(reply));
        }
        // A slot that moved while the pipeline was built may have had its calls or its WAIT sent to
        // a node other than the one it was grouped with: then no count of this pipeline is trusted.
        boolean moved = waitReplicas > 0 && !nodes.equals(nodesOf(calls, indices));
        for (int k = 0; k < indices.size(); k++) {
            int i = indices.get(k);
            outcomes[i] = got.get(k);
            Response<Long> wait = moved ? null : waits.get(nodes.get(slotOf(calls, i)));
            replicas[i] = wait != null && outcome(wait) instanceof Long n ? n : 0;
        }
        refreshSlotsAfter(got);
    }

    /** A node of the deployment, to group a pipeline's slots by for WAIT: "host:port", or a slot whose node is not known. */
    private record Node(String name) {}

    /** On standalone Redis and Sentinel every call goes to the one master. */
    private static final Node THE_MASTER = new Node("the master");

    /** The node of each slot of the calls at {@code indices}, in order of first appearance. */
    private Map<Integer, Node> nodesOf(List<Call> calls, List<Integer> indices) {
        Map<Integer, Node> out = new LinkedHashMap<>();
        for (int i : indices) {
            out.computeIfAbsent(slotOf(calls, i), this::nodeOf);
        }
        return out;
    }

    /**
     * The node a Cluster client sends {@code slot}'s commands to, as its slot map has it: read by
     * borrowing a connection from the slot's pool and giving it back, which costs no round trip
     * while the pool has an idle one (a pipeline leaves one behind). A slot whose node cannot be
     * told counts as a node of its own, so its calls get a WAIT of their own.
     */
    private Node nodeOf(int slot) {
        if (!(redis instanceof RedisClusterClient cluster)) {
            return THE_MASTER;
        }
        try (Connection connection = cluster.getConnectionFromSlot(slot)) {
            return new Node(connection.getHostAndPort().toString());
        } catch (JedisException e) {
            return new Node("the node of slot " + slot);
        }
    }

    /**
     * {@link #flagged(byte[])}, asked of the node of each slot in turn until one answers: one
     * failing node must not fail the calls sent to the others.
     */
    private boolean flaggedByAnyOf(List<Call> calls, List<Integer> indices) {
        JedisException failure = null;
        Set<Integer> asked = new HashSet<>();
        for (int i : indices) {
            if (asked.add(slotOf(calls, i))) {
                try {
                    return flagged(calls.get(i).keys().getFirst());
                } catch (JedisException e) {
                    failure = e;
                }
            }
        }
        throw Objects.requireNonNull(failure);
    }

    private static int slotOf(List<Call> calls, int i) {
        return JedisClusterCRC16.getSlot(calls.get(i).keys().getFirst());
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
