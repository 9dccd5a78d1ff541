package io.seriatim.localredis;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Waits for a group of child processes to reach a state, by asking them again and again: a
 * Redis process has no way to tell us when its cluster or Sentinel group has settled, and this
 * module stays free of test libraries (Awaitility), so it polls, as {@link RedisServer} does for
 * its first PING.
 */
final class Poll {
    private static final long INTERVAL_MS = 50;

    private Poll() {}

    /**
     * Asks {@code problem} until it answers null (all is well), at most {@code timeout}.
     *
     * @param problem what is still wrong, or null; a RuntimeException counts as a problem (a node
     *                that is not answering yet)
     * @throws IllegalStateException naming {@code what} and the last problem when time runs out
     */
    static void until(Duration timeout, String what, Supplier<String> problem) {
        long until = System.nanoTime() + timeout.toNanos();
        String last = "never asked";
        while (true) {
            try {
                last = problem.get();
            } catch (RuntimeException e) {
                last = e.toString();
            }
            if (last == null) {
                return;
            }
            if (System.nanoTime() > until) {
                throw new IllegalStateException(what + " did not happen within " + timeout + ": " + last);
            }
            try {
                Thread.sleep(INTERVAL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting until " + what, e);
            }
        }
    }
}
