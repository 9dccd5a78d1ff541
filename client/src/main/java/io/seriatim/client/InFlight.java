package io.seriatim.client;

import io.seriatim.client.SubmitException.Code;
import io.seriatim.proto.v1.JobResult;
import io.seriatim.proto.v1.Rejection;
import io.seriatim.proto.v1.SubmitResults;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The producer's jobs from submit to answer, and the rules they follow. It knows nothing of
 * Netty or sockets: {@code C} names a connection (a Channel in the producer, a string in tests).
 *
 * <p>A job is in exactly one place: the <b>buffer</b> (submitted, in no batch yet), a batch
 * <b>waiting</b> to be sent (formed while no connection was ready, or to be resent after a lost
 * connection or an UNAVAILABLE answer), or a batch <b>unanswered</b> on the current connection
 * (or, for a moment, in the sender's hand between the buffer and its batch).
 * Whoever takes a job out of all three completes its future, after releasing the lock.
 * <ul>
 * <li>Order: batches go out by request id, waiting ones before new ones, so a resent batch is
 *     never overtaken; a written batch is resent as it was, for the gateway's dedup.
 * <li>Answers complete their batch's futures in order; an answer for a request id that is not
 *     unanswered is ignored; UNAVAILABLE puts the batch back to waiting and drops the connection.
 * <li>Timeouts: a job past its deadline fails {@link Code#TIMED_OUT}, {@code NOT_SENT} if its
 *     batch was never written (it is taken out of that batch first, so it can never be sent
 *     later), {@code UNKNOWN} if it was.
 * <li>Close: no new jobs; the sender sends what is buffered and the gateway answers, until a
 *     deadline; what is left fails {@link Code#CLOSED}. A submit racing close fails, never hangs.
 * </ul>
 *
 * <p><b>Threads.</b> Submitter threads call {@link #add}. The sender thread calls {@link
 * #awaitRoom} (with no jobs in hand), {@link #pollBuffered}, {@link #drainBuffered}, {@link
 * #busy}, {@link #takeWaiting} and {@link #admit}. The I/O thread calls {@link #connected},
 * {@link #connectFailed}, {@link #answered}, {@link #disconnected}, {@link #refused}, {@link
 * #badAnswer}, {@link #expire} and {@link #wantsConnection}. The closing thread calls {@link
 * #close}. The buffer is a blocking queue with locks of its own, so a submit never waits for the
 * other threads; everything else is guarded by {@code lock}. Once stopped (closed, or refused by
 * the gateway for good) every job that reaches it fails at once.
 */
final class InFlight<C> {
    /** The buffer does not signal (a submit takes no lock here), so waits look at it this often. */
    private static final long LOOK_AGAIN_MS = 100;

    private final ProducerSettings settings;
    /** Only the sender takes from it, so only the sender can tell that it is empty for good. */
    private final LinkedBlockingQueue<PendingJob> buffer;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled on every change the sender or close() may be waiting for. */
    private final Condition changed = lock.newCondition();
    /** Guarded by lock. */
    private final TreeMap<Long, Batch> waiting = new TreeMap<>();
    /** Guarded by lock; all of them were written on {@link #connection}. */
    private final TreeMap<Long, Batch> unanswered = new TreeMap<>();
    /** Guarded by lock: the connection whose Hello was answered, until it is gone. */
    private C connection;
    /** Guarded by lock: {@link #connection} while batches may be written on it, else null. */
    private C ready;
    /** Guarded by lock: after close began, the sender found nothing left to send or answer. */
    private boolean drained;
    /** Written under lock. */
    private volatile boolean closing;
    /** Written under lock, once: why every job fails from now on. */
    private volatile Stop stop;
    /** Why no connection is ready, for the message of a job that times out unsent; I/O thread writes. */
    private volatile String connectFailure;

    private record Stop(Code code, String what) {
        SubmitException exception(boolean sent) {
            return SubmitException.of(code, what, sent);
        }
    }

    InFlight(ProducerSettings settings) {
        this.settings = settings;
        this.buffer = new LinkedBlockingQueue<>(settings.maxBufferedJobs());
    }

    // ------------------------------------------------------------ submitter threads

    /** Buffers a job, waiting up to bufferTimeout for room; fails its future if it cannot. */
    void add(PendingJob job) {
        Stop stopped = stop;
        if (stopped != null || closing) {
            job.future().completeExceptionally(stopped != null ? stopped.exception(false)
                    : SubmitException.notSent(Code.CLOSED, "the producer is closing"));
            return;
        }
        try {
            if (!buffer.offer(job, settings.bufferTimeout().toNanos(), TimeUnit.NANOSECONDS)) {
                job.future().completeExceptionally(SubmitException.notSent(Code.BUFFER_FULL,
                        "the buffer of " + settings.maxBufferedJobs() + " jobs stayed full for " + settings.bufferTimeout()));
            } else if (stop != null) {
                // Stopping emptied the buffer for the last time before this job got in: nobody
                // would ever send or fail it, so fail what is there now.
                failBuffered(stop.exception(false));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            job.future().completeExceptionally(e);
        }
    }

    // ------------------------------------------------------------ sender thread

    /**
     * Waits until a batch may go out: a ready connection with fewer than maxInFlight batches
     * unanswered, and while closing, something left to send. Returns that connection, or null
     * once there is nothing left to do. Call it with no jobs in hand: that is what makes "the
     * buffer is empty" final once closing.
     */
    C awaitRoom() throws InterruptedException {
        lock.lock();
        try {
            while (stop == null) {
                boolean nothingToSend = buffer.isEmpty() && waiting.isEmpty();
                if (closing && nothingToSend && unanswered.isEmpty()) {
                    drained = true;
                    changed.signalAll();
                    return null;
                }
                if (ready != null && unanswered.size() < settings.maxInFlight() && !(closing && nothingToSend)) {
                    return ready;
                }
                changed.await(LOOK_AGAIN_MS, TimeUnit.MILLISECONDS);
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    PendingJob pollBuffered(long timeoutNanos) throws InterruptedException {
        return buffer.poll(timeoutNanos, TimeUnit.NANOSECONDS);
    }

    int drainBuffered(Collection<PendingJob> into, int max) {
        return buffer.drainTo(into, max);
    }

    /** True while a batch is unanswered: then a new batch may linger for more jobs. */
    boolean busy() {
        lock.lock();
        try {
            return !unanswered.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /** The oldest waiting batch, now unanswered on {@code conn}; null if none, or conn is no longer ready. */
    Batch takeWaiting(C conn) {
        lock.lock();
        try {
            if (conn == null || ready != conn || waiting.isEmpty()) {
                return null;
            }
            Batch b = waiting.pollFirstEntry().getValue().asWritten();
            unanswered.put(b.requestId(), b);
            return b;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A new batch is to be written on {@code conn}. True if it may be: it is now unanswered.
     * False if conn is no longer ready (the batch waits for the next one) or the producer has
     * stopped (its jobs are failed).
     */
    boolean admit(C conn, Batch batch) {
        Stop stopped;
        lock.lock();
        try {
            stopped = stop;
            if (stopped == null) {
                if (conn != null && ready == conn) {
                    unanswered.put(batch.requestId(), batch.asWritten());
                    return true;
                }
                waiting.put(batch.requestId(), batch);
                return false;
            }
        } finally {
            lock.unlock();
        }
        fail(batch.jobs(), stopped.exception(false));
        return false;
    }

    // ------------------------------------------------------------ I/O thread

    /** The gateway answered Hello on {@code conn}: batches may go out on it. */
    void connected(C conn) {
        lock.lock();
        try {
            connection = conn;
            ready = conn;
            connectFailure = null;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Why the last connection attempt failed, for the message of a job that times out unsent. */
    void connectFailed(String why) {
        connectFailure = why;
    }

    /**
     * Routes an answer to its batch's futures. Returns true if the connection must be dropped:
     * the gateway could not reach Redis, wrote nothing after this batch and closes; the batch
     * waits to be resent, with everything after it, on the next connection.
     */
    boolean answered(SubmitResults results) {
        Batch b;
        boolean unavailable;
        lock.lock();
        try {
            b = unanswered.remove(results.getRequestId());
            unavailable = b != null && results.getResultsList().stream().anyMatch(InFlight::unavailable);
            if (unavailable) {
                waiting.put(b.requestId(), b);
                ready = null; // the gateway writes nothing more from it: send nothing more on it
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (b == null) {
            return false;
        }
        List<PendingJob> jobs = b.jobs();
        if (results.hasRefused()) { // the batch as a whole (too many jobs): nothing of it was enqueued
            SubmitException refused = new SubmitException(Code.INVALID, SubmitException.Outcome.NOT_ENQUEUED,
                    results.getRefused().getReason());
            jobs.forEach(p -> p.future().completeExceptionally(refused));
            return false;
        }
        for (int i = 0; i < jobs.size(); i++) {
            CompletableFuture<Long> f = jobs.get(i).future();
            if (i >= results.getResultsCount()) {
                f.completeExceptionally(SubmitException.unknown(Code.BAD_ANSWER, "the gateway answered batch "
                        + b.requestId() + " with " + results.getResultsCount() + " results for " + jobs.size() + " jobs"));
                continue;
            }
            JobResult r = results.getResults(i);
            switch (r.getOutcomeCase()) {
                case JOB_ID -> f.complete(r.getJobId());
                case DUPLICATE_OF -> {
                    if (f instanceof AckFuture a) {
                        a.markDuplicate();
                    }
                    f.complete(r.getDuplicateOf());
                }
                case REJECTED -> {
                    if (!unavailable(r)) {
                        f.completeExceptionally(new SubmitException(
                                r.getRejected().getCode() == Rejection.Code.UNKNOWN_NAMESPACE ? Code.UNKNOWN_NAMESPACE : Code.INVALID,
                                SubmitException.Outcome.NOT_ENQUEUED, r.getRejected().getReason()));
                    }
                }
                default -> f.completeExceptionally(SubmitException.unknown(Code.BAD_ANSWER,
                        "the gateway's answer to batch " + b.requestId() + " has an empty result"));
            }
        }
        return unavailable;
    }

    private static boolean unavailable(JobResult r) {
        return r.hasRejected() && r.getRejected().getCode() == Rejection.Code.UNAVAILABLE;
    }

    /** {@code conn} is gone: what was unanswered on it waits to be resent, in its order. */
    void disconnected(C conn) {
        lock.lock();
        try {
            if (connection != conn) {
                return; // never answered Hello, or given up after a bad answer: nothing is on it
            }
            connection = null;
            ready = null;
            waiting.putAll(unanswered);
            unanswered.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@code conn} sent what cannot be read: the answers of what is unanswered on it are lost,
     * so those jobs fail with an unknown outcome (resending could get the same answer forever).
     */
    void badAnswer(C conn, String what) {
        connectFailure = what;
        List<PendingJob> lost = new ArrayList<>();
        lock.lock();
        try {
            if (connection != conn) {
                return;
            }
            connection = null;
            ready = null;
            unanswered.values().forEach(b -> lost.addAll(b.jobs()));
            unanswered.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        fail(lost, SubmitException.unknown(Code.BAD_ANSWER, what));
    }

    /** The gateway refused this producer for good: every job, now and later, fails. */
    void refused(Code code, String what) {
        stop(new Stop(code, what));
    }

    /** True unless stopped, or closing with nothing left: then a lost connection is not redialled. */
    boolean wantsConnection() {
        lock.lock();
        try {
            return stop == null && !(closing && buffer.isEmpty() && waiting.isEmpty() && unanswered.isEmpty());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Fails the jobs past their deadline. Every job gets the same timeout, so deadlines nearly
     * follow submit order and only the oldest jobs of the buffer and of each batch need looking
     * at. (Scanning the whole buffer every 100 ms took 40% of the client's CPU at 100,000
     * buffered jobs.)
     */
    void expire(long nowNanos) {
        // Submitters that waited for buffer space can enter it out of deadline order, but by
        // at most bufferTimeout: past a job due later than that, none behind it is due.
        long horizon = settings.bufferTimeout().toNanos();
        List<PendingJob> unsent = new ArrayList<>();
        List<PendingJob> sent = new ArrayList<>();
        lock.lock();
        try {
            for (Batch b : unanswered.values()) {
                due(b, nowNanos, horizon, sent);
            }
            for (Iterator<Map.Entry<Long, Batch>> it = waiting.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<Long, Batch> e = it.next();
                Batch b = e.getValue();
                List<PendingJob> due = new ArrayList<>();
                due(b, nowNanos, horizon, due);
                if (b.written()) {
                    sent.addAll(due);
                    if (b.jobs().stream().allMatch(p -> p.future().isDone() || p.due(nowNanos))) {
                        it.remove(); // resending it could only enqueue jobs nobody waits for
                    }
                } else if (!due.isEmpty()) {
                    unsent.addAll(due);
                    Batch rest = b.without(due);
                    if (rest.jobs().isEmpty()) {
                        it.remove();
                    } else {
                        e.setValue(rest);
                    }
                }
            }
        } finally {
            lock.unlock();
        }
        int fromBuffer = unsent.size();
        for (PendingJob p : buffer) {
            if (p.deadlineNanos() - nowNanos > horizon) {
                break;
            }
            // remove() settles a race with the sender: whoever takes the job out owns it.
            if (p.due(nowNanos) && buffer.remove(p)) {
                unsent.add(p);
            }
        }
        if (unsent.size() > fromBuffer) {
            signal(); // the sender, closing, may be waiting for the buffer to empty
        }
        String why = connectFailure;
        fail(unsent, SubmitException.notSent(Code.TIMED_OUT, "not sent within " + settings.requestTimeout()
                + (why == null ? ": the gateway did not take it in time" : ": no connection to the gateway (" + why + ")")));
        fail(sent, SubmitException.unknown(Code.TIMED_OUT, "not acknowledged within " + settings.requestTimeout()));
    }

    private static void due(Batch b, long nowNanos, long horizon, List<PendingJob> into) {
        if (b.jobs().getFirst().deadlineNanos() - nowNanos > horizon) {
            return;
        }
        for (PendingJob p : b.jobs()) {
            if (p.due(nowNanos) && !p.future().isDone()) {
                into.add(p);
            }
        }
    }

    // ------------------------------------------------------------ closing thread

    /**
     * Takes no new jobs, waits until {@code deadlineNanos} for the sender to send what is
     * buffered and the gateway to answer it, then fails what is left with {@link Code#CLOSED}.
     */
    void close(long deadlineNanos) {
        lock.lock();
        try {
            closing = true;
            changed.signalAll();
            long left;
            while (!drained && stop == null && (left = deadlineNanos - System.nanoTime()) > 0) {
                changed.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
        stop(new Stop(Code.CLOSED, "the producer closed before the gateway answered"));
    }

    // ------------------------------------------------------------ helpers

    /** Stops for good (the first reason stays) and fails every job there is. */
    private void stop(Stop reason) {
        List<Batch> left = new ArrayList<>();
        Stop stopped;
        lock.lock();
        try {
            if (stop == null) {
                stop = reason;
            }
            stopped = stop;
            left.addAll(waiting.values());
            left.addAll(unanswered.values());
            waiting.clear();
            unanswered.clear();
            connection = null;
            ready = null;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        for (Batch b : left) {
            fail(b.jobs(), stopped.exception(b.written()));
        }
        failBuffered(stopped.exception(false));
    }

    private void failBuffered(SubmitException e) {
        List<PendingJob> stranded = new ArrayList<>();
        buffer.drainTo(stranded);
        fail(stranded, e);
    }

    private void signal() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private static void fail(Collection<PendingJob> jobs, SubmitException e) {
        for (PendingJob p : jobs) {
            p.future().completeExceptionally(e);
        }
    }
}
