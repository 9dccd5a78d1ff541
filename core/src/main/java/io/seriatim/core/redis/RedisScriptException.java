package io.seriatim.core.redis;

/**
 * A script stopped with an error in Redis: it refused the call (for example a partition whose job
 * sequence space is used up; a script refuses before it writes anything) or it broke. Sending the
 * same call again fails the same way. The message names the script and gives Redis' answer.
 */
public class RedisScriptException extends RedisException {
    public RedisScriptException(String message, Throwable cause) {
        super(message, cause);
    }
}
