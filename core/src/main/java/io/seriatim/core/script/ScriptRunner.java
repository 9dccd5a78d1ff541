package io.seriatim.core.script;

import io.seriatim.core.redis.RedisErrors;
import io.seriatim.core.redis.RedisException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * Runs {@link Script}s by SHA (EVALSHA), falling back to the full source (EVAL, which also
 * caches it) when Redis answers NOSCRIPT, as it does after a restart or SCRIPT FLUSH.
 *
 * <p>On Redis 7 and later it runs each script's flagged source (see {@link Script.Memory}); it
 * finds out which Redis it talks to on its first call, and again after a NOSCRIPT (a restarted
 * Redis may be another version).
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
                redis.scriptLoad(FLAGS_PROBE, sampleKey);
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
                flagged = null;
                return Reply.of(script, redis.eval(script.sourceBytes(flagged(script, sampleKey)), keys, args));
            }
        } catch (JedisException e) {
            throw RedisErrors.ofScript(script.fileName(), e);
        }
    }

    public Reply run(Call call) {
        return run(call.script(), call.keys(), call.args());
    }

    /** The replies of a pipeline, in call order, and how many replicas confirmed its writes. */
    public record Replies(List<Reply> replies, long replicasReached) {}

    /**
     * Runs calls in one pipeline and returns their replies in order. When a call failed in Redis
     * it throws that call's error, the first in call order; the calls after it may have been
     * applied.
     *
     * <p>The pipeline starts with SCRIPT LOAD of every script it uses. That is what keeps
     * order: were a script missing, an EVALSHA would fail while a later one on the same key
     * might succeed after another client re-cached it, and retrying the first would put it
     * behind the second. SCRIPT LOAD of a cached script costs Redis one SHA-1 of its source.
     */
    public List<Reply> runAll(List<Call> calls) {
        return runAll(calls, 0, 0).replies();
    }

    /**
     * As {@link #runAll(List)}, then, when {@code waitReplicas > 0}, Redis WAIT on the same
     * connection (WAIT only counts the writes of the connection it runs on).
     */
    public Replies runAll(List<Call> calls, int waitReplicas, long waitTimeoutMs) {
        if (calls.isEmpty()) {
            return new Replies(List.of(), 0);
        }
        if (calls.size() == 1 && waitReplicas == 0) {
            // Nothing behind a lone call can overtake it: no SCRIPT LOAD needed in front.
            return new Replies(List.of(run(calls.getFirst())), 0);
        }
        for (Call call : calls) { // all before the pipeline: a refused call must not leave the others half sent
            call.script().checkCall(call.keys().size(), call.args().size());
        }
        Response<Long> replicas = null;
        List<Response<Object>> replies = new ArrayList<>(calls.size());
        try (AbstractPipeline pipeline = redis.pipelined()) {
            byte[] sampleKey = calls.getFirst().keys().getFirst();
            boolean withFlags = flagged(calls.getFirst().script(), sampleKey);
            calls.stream().map(Call::script).distinct()
                    .forEach(s -> pipeline.scriptLoad(s.sourceBytes(withFlags), sampleKey));
            for (Call call : calls) {
                replies.add(pipeline.evalsha(call.script().shaBytes(withFlags), call.keys(), call.args()));
            }
            if (waitReplicas > 0) {
                replicas = pipeline.waitReplicas(sampleKey, waitReplicas, waitTimeoutMs);
            }
            pipeline.sync();
        } catch (JedisException e) {
            throw RedisErrors.ofScript(calls.getFirst().script().fileName(), e);
        }
        List<Reply> out = new ArrayList<>(replies.size());
        for (int i = 0; i < replies.size(); i++) {
            Script script = calls.get(i).script();
            try {
                out.add(Reply.of(script, replies.get(i).get()));
            } catch (JedisDataException e) {
                if (e instanceof JedisNoScriptException) {
                    flagged = null; // the SCRIPT LOAD did not take: another Redis version now? ask again
                }
                throw RedisErrors.ofScript(script.fileName(), e);
            }
        }
        return new Replies(out, replicas == null ? 0 : replicas.get());
    }
}
