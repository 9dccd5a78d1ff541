package io.seriatim.core.redis;

/**
 * Redis could not be reached, did not answer in time, or could not serve the call just now
 * (loading its data, busy with a script, a replica during failover, full at {@code maxmemory}).
 * Whether the operation took effect is unknown: the caller retries (submits carry a dedup id for
 * that) or gives up, but never assumes success.
 */
public class RedisUnavailableException extends RedisException {
    public RedisUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
