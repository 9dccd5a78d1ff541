package io.seriatim.core.queue;

import io.seriatim.core.keys.NamespaceKeys;
import io.seriatim.core.redis.Outcome;
import io.seriatim.core.script.ScriptStatus;
import io.seriatim.core.settings.NamespaceSettings;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import redis.clients.jedis.UnifiedJedis;

/**
 * A {@link KeyedQueue} that runs the {@link InvariantChecker} after every call that runs a script,
 * including calls that throw: the script tests use it instead of the queue itself, so no test
 * can forget a check. The check reads Redis through its own client.
 */
final class CheckedQueue {
    private final KeyedQueue queue;
    private final Supplier<UnifiedJedis> checker;

    CheckedQueue(KeyedQueue queue, Supplier<UnifiedJedis> checker) {
        this.queue = queue;
        this.checker = checker;
    }

    /** The unchecked queue, for calls whose checks the test makes itself. */
    KeyedQueue raw() { return queue; }

    NamespaceSettings settings() { return queue.settings(); }

    NamespaceKeys keys() { return queue.keys(); }

    int partitionOf(String key) { return queue.partitionOf(key); }

    long redisTimeMs() { return queue.redisTimeMs(); }

    RedisState check(String context) {
        return InvariantChecker.check(checker.get(), queue.keys(), context);
    }

    EnqueueResult enqueue(EnqueueRequest request) {
        return checked("enqueue " + request.key(), () -> queue.enqueue(request));
    }

    List<EnqueueResult> enqueueAll(List<EnqueueRequest> requests, String batchDedupId) {
        return checked("enqueueAll", () -> queue.enqueueAll(requests, batchDedupId, 0, java.time.Duration.ZERO));
    }

    List<EnqueueResult> enqueueAll(List<EnqueueRequest> requests) {
        return checked("enqueueAll", () -> queue.enqueueAll(requests));
    }

    EnqueueResult enqueueDelayed(EnqueueRequest request, Duration delay) {
        return checked("enqueueDelayed " + request.key(), () -> queue.enqueueDelayed(request, delay));
    }

    EnqueueResult enqueueAt(EnqueueRequest request, long runAtMs) {
        return checked("enqueueAt " + request.key(), () -> queue.enqueueAt(request, runAtMs));
    }

    Promoted promoteDue(int partition, int limit) {
        return checked("promoteDue", () -> queue.promoteDue(partition, limit));
    }

    Claim claim(int partition, String workerId, int maxKeys, Duration lease, int batch) {
        return checked("claim by " + workerId, () -> queue.claim(partition, workerId, maxKeys, lease, batch));
    }

    AckResult ack(Lease lease, List<Long> jobIds, Duration leaseTime, int batch, int skip) {
        return checked("ack " + jobIds + " with " + lease, () -> queue.ack(lease, jobIds, leaseTime, batch, skip));
    }

    /** The answers; a failed one is thrown, since one Redis answers all of a call's keys or none. */
    List<AckResult> ackAll(List<AckRequest> requests, Duration leaseTime) {
        return checked("ackAll of " + requests.size() + " keys",
                () -> queue.ackAll(requests, leaseTime).stream().map(Outcome::get).toList());
    }

    /** The leases renewed; a failed one is thrown, since one Redis answers all of a call's leases or none. */
    List<Lease> renew(List<Lease> leases, Duration leaseTime) {
        return checked("renew " + leases, () -> {
            Renewal r = queue.renew(leases, leaseTime);
            r.failed().values().stream().findFirst().ifPresent(e -> {
                throw e;
            });
            return r.renewed();
        });
    }

    FailResult fail(Lease lease, long jobId, String error, boolean retryable, Duration delay) {
        return checked("fail " + jobId + " with " + lease, () -> queue.fail(lease, jobId, error, retryable, delay));
    }

    boolean release(Lease lease) {
        return checked("release " + lease, () -> queue.release(lease));
    }

    SweepResult sweep(int partition, int limit) {
        return checked("sweep", () -> queue.sweep(partition, limit));
    }

    KeyInspection inspect(String key, int peek) {
        return checked("inspect " + key, () -> queue.inspect(key, peek));
    }

    /** park's status only; {@link #parkResult} for the holder a deferred park waits for. */
    ScriptStatus park(String key, String reason) {
        return parkResult(key, reason).status();
    }

    ParkResult parkResult(String key, String reason) {
        return checked("park " + key, () -> queue.park(key, reason));
    }

    /** True if unpark did something: a parked key is ready, or a waiting park is withdrawn. */
    boolean unpark(String key) {
        return unparkStatus(key) != ScriptStatus.NOT_PARKED;
    }

    ScriptStatus unparkStatus(String key) {
        return checked("unpark " + key, () -> queue.unpark(key));
    }

    List<DeadJob> deadJobs(int partition, String afterId, int count) {
        return queue.deadJobs(partition, afterId, count); // a plain XRANGE: no script
    }

    /** How many jobs were replayed; {@link #replay} for the whole answer. */
    long replayDead(String key, boolean toHead, int limit) {
        return replay(key, toHead, limit).jobs();
    }

    Replayed replay(String key, boolean toHead, int limit) {
        return checked("replay " + key, () -> queue.replayDead(key, toHead, limit));
    }

    long purgeDead(String key, int limit) {
        return checked("purge " + key, () -> queue.purgeDead(key, limit));
    }

    Paused pause() {
        return checked("pause", queue::pause);
    }

    void resume() {
        checked("resume", () -> {
            queue.resume();
            return null;
        });
    }

    QueueCounts counts() {
        return queue.counts(); // reads only
    }

    private <T> T checked(String call, Supplier<T> action) {
        try {
            return action.get();
        } finally {
            check("after " + call);
        }
    }
}
