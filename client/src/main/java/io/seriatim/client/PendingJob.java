package io.seriatim.client;

import io.seriatim.proto.v1.SubmitJob;
import java.util.concurrent.CompletableFuture;

/**
 * One submitted job waiting for its answer: what goes on the wire, the caller's future and the
 * {@link System#nanoTime()} past which it times out. Equal only to itself (not a record): two
 * identical submits are two jobs, and the buffer's remove() must not compare payloads.
 */
final class PendingJob {
    private final SubmitJob job;
    private final CompletableFuture<Long> future;
    private final long deadlineNanos;

    PendingJob(SubmitJob job, CompletableFuture<Long> future, long deadlineNanos) {
        this.job = job;
        this.future = future;
        this.deadlineNanos = deadlineNanos;
    }

    SubmitJob job() {
        return job;
    }

    CompletableFuture<Long> future() {
        return future;
    }

    long deadlineNanos() {
        return deadlineNanos;
    }

    boolean due(long nowNanos) {
        return nowNanos - deadlineNanos > 0;
    }
}
