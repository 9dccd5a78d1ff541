package io.seriatim.core.redis;

import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import redis.clients.jedis.exceptions.JedisBroadcastException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisValidationException;

/**
 * The one translation from Jedis' exceptions to Seriatim's: every Redis call of core runs through
 * {@link #call} or, for scripts, {@link #ofScript}, so that no Jedis exception reaches a caller and
 * each failure reads "Redis unavailable while running claim.lua: ..." or "Redis error while ...".
 *
 * <ul>
 *   <li>no answer (connection refused or lost, socket timeout, no free connection in the pool, no
 *       reachable Cluster node) and answers that mean "not now" (OOM, LOADING, BUSY, MASTERDOWN,
 *       READONLY, TRYAGAIN, CLUSTERDOWN, NOSCRIPT after a flush, a script's "non local key" while a
 *       slot moves, a SCRIPT LOAD broadcast that some node did not take, and MOVED or ASK, which a
 *       pipeline on a Cluster meets after a failover or during a reshard):
 *       {@link RedisUnavailableException};
 *   <li>any other error of a script: {@link RedisScriptException};
 *   <li>any other error of a plain command: {@link RedisException}.
 * </ul>
 */
public final class RedisErrors {
    private RedisErrors() {}

    /** The first word of error replies after which the same call may succeed later. */
    private static final List<String> NOT_NOW = List.of("OOM", "LOADING", "BUSY", "MASTERDOWN", "READONLY",
            "TRYAGAIN", "CLUSTERDOWN", "NOSCRIPT", "MOVED", "ASK");

    /**
     * What a script's command meets on a Cluster while a slot moves or the cluster is down; the
     * script stopped before its first write (see guard_slot in common.lua), so the call may be
     * sent again. 6.2 starts the first with "Lua script", 7 with "Script".
     */
    private static final List<String> IN_SCRIPT_NOT_NOW = List.of("cript attempted to access a non local key",
            "while the cluster is down");

    /** What Redis 7 appends to an error raised inside a script: noise for the reader. */
    private static final Pattern SCRIPT_SUFFIX = Pattern.compile(" ?script: [0-9a-f]{40}, on @user_script:\\d+\\.?$");
    /**
     * What Redis 6.2 puts in front of the error of a command a script called ("ERR Error running
     * script (call to f_<sha>): @user_script:16: WRONGTYPE ..."), once more with a dash for OOM:
     * without it, the answer would not start with its code on 6.2.
     */
    private static final Pattern SCRIPT_PREFIX = Pattern.compile(
            "^(?:ERR )?Error running script \\(call to f_[0-9a-f]{40}\\): @user_script: ?\\d+: (?:@user_script: ?\\d+: )?-?");

    /**
     * Runs one plain Redis call (or pipeline), translating its failure.
     *
     * @param during what the call does, for the message: "reading the Redis clock"
     */
    public static <T> T call(String during, Supplier<T> call) {
        try {
            return call.get();
        } catch (JedisException e) {
            throw translate(during, e, false);
        }
    }

    /** The exception for a failure of the script {@code fileName} ("claim.lua"). */
    public static RedisException ofScript(String fileName, JedisException e) {
        return translate("running " + fileName, e, true);
    }

    private static RedisException translate(String during, JedisException e, boolean script) {
        String answer = withoutScriptFrame(String.valueOf(e.getMessage()));
        // Jedis raises JedisDataException for an error reply and JedisValidationException before it
        // sends; anything else means no answer came.
        boolean noAnswer = !(e instanceof JedisDataException) && !(e instanceof JedisValidationException);
        if (noAnswer || NOT_NOW.contains(firstWord(answer)) || IN_SCRIPT_NOT_NOW.stream().anyMatch(answer::contains)
                || e instanceof JedisBroadcastException) {
            return new RedisUnavailableException("Redis unavailable while " + during + ": " + answer, e);
        }
        String message = "Redis error while " + during + ": " + readable(answer);
        return script ? new RedisScriptException(message, e) : new RedisException(message, e);
    }

    private static String firstWord(String answer) {
        int space = answer.indexOf(' ');
        return space < 0 ? answer : answer.substring(0, space);
    }

    /** Redis' answer without the script's SHA and line, which 6.2 and 7 write differently. */
    private static String withoutScriptFrame(String answer) {
        return SCRIPT_SUFFIX.matcher(SCRIPT_PREFIX.matcher(answer).replaceFirst("")).replaceFirst("");
    }

    /** The answer without the generic "ERR" code. */
    private static String readable(String answer) {
        return answer.startsWith("ERR ") ? answer.substring(4) : answer;
    }
}
