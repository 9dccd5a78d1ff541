package io.seriatim.cli;

import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;
import redis.clients.jedis.UnifiedJedis;

/**
 * What the long-running commands (gateway, worker, sweeper, verify-consume) do when Redis does
 * not answer at start, the same for each: by default wait, logging every attempt, and start
 * once Redis answers; with {@code --fail-fast} exit 3 at once.
 *
 * <p>Nothing is started before Redis answers: the gateway does not listen (a client's connection
 * is refused, which it knows how to retry, rather than accepted and left unanswered), the worker
 * claims nothing, the sweeper does not tick. Runs on the command's main thread.
 */
final class RedisAtStart {
    private static final Logger log = LoggerFactory.getLogger(RedisAtStart.class);
    private static final long FIRST_WAIT_MS = 1_000;
    private static final long MAX_WAIT_MS = 30_000;

    @Option(names = "--fail-fast", defaultValue = "false",
            description = "if Redis is unavailable at start, exit with code 3 at once (default: retry, 1 s doubling to 30 s, until it answers)")
    boolean failFast;

    /**
     * Runs {@code start} once Redis answers PING, and again while it fails because Redis became
     * unavailable meanwhile. Anything else it throws (a bad setting, a port in use) ends the wait.
     */
    <T> T start(RedisOptions redis, Supplier<T> start) {
        long waitMs = FIRST_WAIT_MS;
        while (true) {
            try {
                try (UnifiedJedis client = redis.connect()) {
                    client.ping();
                }
                return start.get();
            } catch (RuntimeException e) {
                String unavailable = Errors.redisUnavailable(e, redis.shown());
                if (failFast || unavailable == null) {
                    throw e;
                }
                log.warn("{}; retrying in {} s (--fail-fast exits instead)", unavailable, waitMs / 1000);
                try {
                    Thread.sleep(waitMs); // the main thread has nothing else to do until Redis answers
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                waitMs = Math.min(waitMs * 2, MAX_WAIT_MS);
            }
        }
    }
}
