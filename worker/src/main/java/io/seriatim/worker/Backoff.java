package io.seriatim.worker;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long a failed job's key waits before it runs again. While it waits no other job of the key
 * runs (order), but other keys go on.
 */
public sealed interface Backoff {
    /** The delay before attempt {@code failedAttempts + 1}. */
    Duration delay(int failedAttempts);

    /** The same delay after every failure. */
    static Backoff fixed(Duration delay) {
        return new Fixed(delay);
    }

    /**
     * {@code base * 2^(failures-1)}, capped at {@code max}, then scaled by a random factor in
     * [1 - jitter, 1] so that keys that failed together do not retry together.
     */
    static Backoff exponential(Duration base, Duration max, double jitter) {
        return new Exponential(base, max, jitter);
    }

    record Fixed(Duration delay) implements Backoff {
        public Fixed {
            if (delay == null || delay.isNegative()) {
                throw new IllegalArgumentException("backoff delay must be >= 0, got " + delay);
            }
        }

        @Override
        public Duration delay(int failedAttempts) {
            return delay;
        }
    }

    record Exponential(Duration base, Duration max, double jitter) implements Backoff {
        public Exponential {
            if (base == null || base.isNegative() || base.isZero()) {
                throw new IllegalArgumentException("backoff base must be > 0, got " + base);
            }
            if (max == null || max.compareTo(base) < 0) {
                throw new IllegalArgumentException("backoff max must be >= base (" + base + "), got " + max);
            }
            if (!(jitter >= 0 && jitter <= 1)) {
                throw new IllegalArgumentException("backoff jitter must be in [0, 1], got " + jitter);
            }
        }

        @Override
        public Duration delay(int failedAttempts) {
            int doublings = Math.min(Math.max(failedAttempts - 1, 0), 30);
            long ms = Math.min(max.toMillis(), base.toMillis() << doublings);
            double factor = 1 - jitter * ThreadLocalRandom.current().nextDouble();
            return Duration.ofMillis((long) (ms * factor));
        }
    }
}
