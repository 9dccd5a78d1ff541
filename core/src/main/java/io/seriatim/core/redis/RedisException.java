package io.seriatim.core.redis;

/**
 * A Redis call of Seriatim failed; the message says which call and what Redis answered. Every
 * Redis call of core throws this family and never Jedis' own exceptions (see
 * {@link RedisErrors}). The subclasses say what the caller can do about it:
 * {@link RedisUnavailableException} (try again later) and {@link RedisScriptException} (a
 * script refused the call: the same call fails again). A plain {@code RedisException} is neither,
 * e.g. a user without the permission to run scripts, or a key of ours holding another type.
 */
public class RedisException extends RuntimeException {
    public RedisException(String message, Throwable cause) {
        super(message, cause);
    }
}
