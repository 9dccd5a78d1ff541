package io.seriatim.core.redis;

/**
 * Redis could not be reached or did not answer in time. Whether the operation took effect is
 * unknown: the caller retries (submits carry a dedup id for that) or gives up, but never
 * assumes success.
 */
public class RedisUnavailableException extends RuntimeException {
    public RedisUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
