package io.seriatim.gateway;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The process-wide budget of bytes that all connections together may hold in unfinished frames.
 * Without it, a thousand connections that each start a 16 MiB frame and never finish it hold
 * 16 GB. Shared by every channel; lock-free.
 */
final class PartialFrameBudget {
    private final long max;
    private final AtomicLong used = new AtomicLong();

    PartialFrameBudget(long max) {
        this.max = max;
    }

    /** Takes {@code bytes} more if they fit; false (taking nothing) if they would pass the budget. */
    boolean tryTake(long bytes) {
        while (true) {
            long now = used.get();
            if (now + bytes > max) {
                return false;
            }
            if (used.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    void give(long bytes) {
        used.addAndGet(-bytes);
    }

    long used() {
        return used.get();
    }

    long max() {
        return max;
    }
}
