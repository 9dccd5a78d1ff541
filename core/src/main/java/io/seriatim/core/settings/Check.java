package io.seriatim.core.settings;

import java.time.Duration;

/**
 * The range checks every settings class makes, so that a bad value is refused with the same
 * words wherever it is set: the setting's name, the allowed range and the value given, e.g.
 * {@code "concurrency must be in [1, 100000], got 0"}.
 *
 * <p>For the settings of every module but the client, which must not depend on core and keeps
 * its own copy.
 */
public final class Check {
    private Check() {}

    /** Refuses {@code value} outside {@code [min, max]}. */
    public static void range(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], got " + value);
        }
    }

    /** Refuses {@code value} below {@code min}. */
    public static void atLeast(String name, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be >= " + min + ", got " + value);
        }
    }

    /** Refuses a null, zero or negative duration. */
    public static void positive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be > 0, got " + value);
        }
    }

    /** Refuses a null duration or one shorter than {@code min}. */
    public static void atLeast(String name, Duration value, Duration min) {
        if (value == null || value.compareTo(min) < 0) {
            throw new IllegalArgumentException(name + " must be at least " + min + ", got " + value);
        }
    }
}
