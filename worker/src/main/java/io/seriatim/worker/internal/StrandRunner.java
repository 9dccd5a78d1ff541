package io.seriatim.worker.internal;

import io.seriatim.core.queue.AckRequest;
import io.seriatim.core.queue.AckResult;
import io.seriatim.core.queue.ClaimedKey;
import io.seriatim.core.queue.FailResult;
import io.seriatim.core.queue.Job;
import io.seriatim.core.queue.KeyedQueue;
import io.seriatim.core.script.ScriptStatus;
import io.seriatim.worker.JobContext;
import io.seriatim.worker.JobHandler;
import io.seriatim.worker.NonRetryableException;
import io.seriatim.worker.WorkerJob;
import io.seriatim.worker.WorkerSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains one held key: runs its jobs back to back on this (virtual) thread, acknowledges each
 * batch (through the {@link AckBatcher}, with other keys' acks) in one call that also brings the
 * next batch, and ends when the key is empty, yielded,
 * failed, lost or the worker stops. Only this thread touches the key's jobs.
 *
 * <p>Before every job it checks the worker's own monotonic view of the lease, so a worker that was
 * stalled past its lease stops by itself even before Redis tells it (STALE).
 */
final class StrandRunner implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(StrandRunner.class);

    /** How a job ended. */
    private record Outcome(boolean ok, Throwable error, boolean retryable) {
        static final Outcome OK = new Outcome(true, null, true);
    }

    private final KeyedQueue queue;
    private final WorkerSettings settings;
    private final JobHandler handler;
    private final WorkerMetrics metrics;
    private final HeldKey held;
    private final Semaphore redisPermits;
    private final AckBatcher acks;
    private final List<Job> firstBatch;
    /** Redis time minus local wall time, from the claim: converts Redis timestamps for latency. */
    private final long redisClockOffsetMs;

    StrandRunner(KeyedQueue queue, WorkerSettings settings, JobHandler handler, WorkerMetrics metrics, HeldKey held,
            ClaimedKey claimed, long redisClockOffsetMs, Semaphore redisPermits, AckBatcher acks) {
        this.redisPermits = redisPermits;
        this.acks = acks;
        this.queue = queue;
        this.settings = settings;
        this.handler = handler;
        this.metrics = metrics;
        this.held = held;
        this.firstBatch = claimed.jobs();
        this.redisClockOffsetMs = redisClockOffsetMs;
    }

    @Override
    public void run() {
        List<Job> batch = firstBatch;
        while (true) {
            List<Long> done = new ArrayList<>(batch.size());
            Job failedJob = null;
            Outcome failure = null;
            for (Job job : batch) {
                if (!held.mayRunNext()) {
                    break;
                }
                Outcome outcome = runJob(job);
                if (!outcome.ok()) {
                    failedJob = job;
                    failure = outcome;
                    break;
                }
                done.add(job.id());
            }
            if (failedJob != null) {
                fail(failedJob, failure, done, batch.size());
                return;
            }
            if (done.size() < batch.size()) {
                stopEarly(done, batch.size());
                return;
            }
            AckResult result = ack(done, settings.batchSize(), 0);
            if (result == null || result.status() != ScriptStatus.CONTINUE) {
                return;
            }
            batch = result.nextJobs();
            if (batch.isEmpty()) {
                return; // cannot happen with skip 0 and jobs left; never spin on it
            }
        }
    }

    private Outcome runJob(Job job) {
        // Latency and handler time are sampled, one job in 16 at random: Dropwizard reservoirs
        // lock on update, and at 200k jobs/s that shows. Not by a count per strand: a strand of
        // one job (sparse keys) would sample every job.
        boolean sample = ThreadLocalRandom.current().nextInt(16) == 0;
        if (sample) {
            metrics.endToEndMs.update(Math.max(0, System.currentTimeMillis() + redisClockOffsetMs - job.submittedAtMs()));
        }
        WorkerJob view = new WorkerJob(job.id(), settings.namespace().name(), job.key(), job.payload(), job.headers(),
                job.attempt(), held.lease().fence(), job.submittedAtMs());
        long startNanos = System.nanoTime();
        JobContext context = new Context(view, startNanos);
        try {
            if (settings.jobTimeout().isZero()) {
                handler.handle(view, context);
            } else {
                runWithTimeout(view, context);
            }
            if (sample) {
                metrics.handlerTime.update(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
            }
            metrics.acked.mark();
            return Outcome.OK;
        } catch (NonRetryableException e) {
            return new Outcome(false, e, false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(false, e, true);
        } catch (Throwable e) { // a handler must never kill the worker, whatever it throws
            return new Outcome(false, e, true);
        }
    }

    /**
     * Runs the handler on its own virtual thread so the strand can stop waiting at the timeout.
     * A handler that ignores the interrupt keeps running on its thread; the job is failed anyway
     * and the key moves on only after the retry delay.
     */
    private void runWithTimeout(WorkerJob job, JobContext context) throws Throwable {
        CompletableFuture<Void> result = new CompletableFuture<>();
        Thread runner = Thread.ofVirtual().name("seriatim-job-" + job.id()).start(() -> {
            try {
                handler.handle(job, context);
                result.complete(null);
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        try {
            result.get(settings.jobTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            runner.interrupt();
            throw new TimeoutException("job " + job.id() + " of key " + job.key() + " timed out after "
                    + settings.jobTimeout());
        } catch (ExecutionException e) {
            throw e.getCause();
        }
    }

    private void fail(Job job, Outcome failure, List<Long> done, int held) {
        if (!done.isEmpty()) {
            // Acknowledge what succeeded first: the failed job must be the head for fail to apply.
            AckResult r = ack(done, 0, held - done.size());
            if (r == null || r.status() != ScriptStatus.CONTINUE) {
                return;
            }
        }
        metrics.failed.mark();
        Duration delay = settings.backoff().delay(job.attempt());
        String error = describe(failure.error());
        log.debug("job {} of key {} failed (attempt {}): {}", job.id(), job.key(), job.attempt(), error);
        this.held.ending();
        FailResult r = call(() -> withPermit(() -> queue.fail(this.held.lease(), job.id(), error, failure.retryable(), delay)));
        if (r == null) {
            return;
        }
        switch (r.status()) {
            case RETRY -> metrics.retried.mark();
            case DEAD -> {
                metrics.deadLettered.mark();
                log.warn("job {} of key {} dead-lettered after {} attempts: {}", job.id(), job.key(), r.attempts(), error);
            }
            case PARKED -> {
                metrics.parked.mark();
                log.warn("key {} parked: job {} failed {} times: {}", job.key(), job.id(), r.attempts(), error);
            }
            default -> dropped(r.status());
        }
    }

    /** The worker stops or the lease can no longer be trusted: acknowledge what ran, give the key back. */
    private void stopEarly(List<Long> done, int held) {
        if (!done.isEmpty()) {
            AckResult r = ack(done, 0, held - done.size());
            if (r == null || r.status() != ScriptStatus.CONTINUE) {
                return;
            }
        }
        if (!this.held.isLost()) {
            this.held.ending();
            call(() -> withPermit(() -> queue.release(this.held.lease())));
        }
    }

    /** Acks and handles every answer but CONTINUE; returns null if Redis could not be reached in time. */
    private AckResult ack(List<Long> ids, int batch, int skip) {
        long sent = System.nanoTime();
        AckRequest request = new AckRequest(held.lease(), ids, batch, skip);
        held.ending();
        AckResult r = call(() -> acks.ack(request));
        if (r == null) {
            return null;
        }
        switch (r.status()) {
            case CONTINUE -> {
                held.extended(held.lease().withDeadline(r.deadlineMs()), sent, settings.leaseTime().toNanos());
                held.continued();
            }
            case RELEASED, YIELDED, HANDED_OVER -> { } // the lease ended: an operator act may have taken the key
            default -> dropped(r.status());
        }
        return r;
    }

    private void dropped(ScriptStatus status) {
        metrics.stale.mark();
        held.lost();
        log.info("key {} dropped: Redis answered {} for fence {}", held.lease().key(), status, held.lease().fence());
        if (status == ScriptStatus.HEAD_MISMATCH) {
            // We still own the lease (e.g. a retried ack had applied): hand the key back now.
            call(() -> withPermit(() -> queue.release(held.lease())));
        }
    }

    /**
     * Calls Redis, retrying while the lease can still be trusted: after a lost connection the
     * call may or may not have applied, and the scripts' answers (STALE, HEAD_MISMATCH) tell.
     */
    private <T> T call(Supplier<T> redisCall) {
        long backoffMs = 10;
        while (true) {
            try {
                return redisCall.get();
            } catch (RuntimeException e) {
                metrics.redisErrors.mark();
                if (held.remainingNanos() <= 0) {
                    log.warn("key {}: Redis unreachable until the lease ran out, dropping it: {}",
                            held.lease().key(), e.toString());
                    held.lost();
                    return null;
                }
                log.warn("key {}: Redis call failed, retrying in {} ms: {}", held.lease().key(), backoffMs, e.toString());
                try {
                    Thread.sleep(backoffMs);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return null;
                }
                backoffMs = Math.min(backoffMs * 2, 1000);
            }
        }
    }

    /** Acks go through the batcher's own calls; a strand's other calls queue here for a connection. */
    private <T> T withPermit(Supplier<T> redisCall) {
        redisPermits.acquireUninterruptibly();
        try {
            return redisCall.get();
        } finally {
            redisPermits.release();
        }
    }

    private static String describe(Throwable e) {
        String s = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return s.length() > 1000 ? s.substring(0, 1000) : s;
    }

    private final class Context implements JobContext {
        private final WorkerJob job;
        private final long startNanos;

        Context(WorkerJob job, long startNanos) {
            this.job = job;
            this.startNanos = startNanos;
        }

        @Override
        public long remainingMillis() {
            long lease = held.remainingNanos();
            if (settings.jobTimeout().isZero()) {
                return TimeUnit.NANOSECONDS.toMillis(lease);
            }
            long timeout = settings.jobTimeout().toNanos() - (System.nanoTime() - startNanos);
            return TimeUnit.NANOSECONDS.toMillis(Math.min(lease, timeout));
        }

        @Override
        public boolean leaseValid() {
            return !held.isLost() && held.remainingNanos() > 0;
        }

        @Override
        public void log(String message) {
            log.info("[key={} job={} fence={}] {}", job.key(), job.id(), job.fence(), message);
        }
    }
}
