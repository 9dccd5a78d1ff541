package io.seriatim.core.redis;

import java.util.Objects;

/**
 * What one item of a call that answers each item on its own came to: its value, or the error of
 * the Redis node it went to. On Redis Cluster one call may span several masters, and a master
 * that fails must cost only the items it holds.
 *
 * @param value the answer; null when the item failed
 * @param error why the item failed; null when it has a value
 * @param <T>   the answer's type
 */
public record Outcome<T>(T value, RedisException error) {
    public Outcome {
        if ((value == null) == (error == null)) {
            throw new IllegalArgumentException("an outcome is a value or an error, exactly one of them");
        }
    }

    public static <T> Outcome<T> of(T value) {
        return new Outcome<>(Objects.requireNonNull(value, "value"), null);
    }

    public static <T> Outcome<T> failed(RedisException error) {
        return new Outcome<>(null, Objects.requireNonNull(error, "error"));
    }

    public boolean failed() {
        return error != null;
    }

    /** The value, or the error thrown. */
    public T get() {
        if (error != null) {
            throw error;
        }
        return value;
    }
}
