package io.seriatim.client;

import io.netty.channel.Channel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Forms batches from the buffer and writes them: waiting batches first, as they were, then new
 * ones of up to maxBatchJobs. An idle connection gets a job at once; while a batch is
 * unanswered, a new one lingers up to {@code linger} for more, so batches grow with the load
 * and a lone submit does not wait.
 *
 * <p><b>Threads.</b> Owns one platform thread, "seriatim-producer-sender", from {@link #start()}
 * to {@link #stop}; only it touches {@code nextRequestId}, so request ids follow the order batches
 * are formed in. It waits only in {@link InFlight} and writes with {@link Channel#writeAndFlush},
 * which hands the write to the I/O thread: writes from this one thread reach the socket in order.
 * It ends by itself once InFlight has nothing left for it (closed or refused); {@link #stop}
 * interrupts it in case it has not.
 */
final class Sender {
    /** How long an idle sender waits for a first job before it looks at the connection again. */
    private static final long IDLE_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final ProducerSettings settings;
    private final InFlight<Channel> inFlight;
    private final GatewayLimits limits;
    /** With the request id, a batch's dedup id: unique to this producer's batches. */
    private final String session = UUID.randomUUID().toString();
    private final Thread thread;
    private long nextRequestId = 1;

    Sender(ProducerSettings settings, InFlight<Channel> inFlight, GatewayLimits limits) {
        this.settings = settings;
        this.inFlight = inFlight;
        this.limits = limits;
        this.thread = Thread.ofPlatform().name("seriatim-producer-sender").daemon().unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    /** Interrupts the thread and waits up to {@code join} for it to end; true if it did. */
    boolean stop(Duration join) {
        thread.interrupt();
        try {
            return thread.join(join);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void run() {
        List<PendingJob> jobs = new ArrayList<>(settings.maxBatchJobs());
        try {
            while (true) {
                Channel ch = inFlight.awaitRoom();
                if (ch == null) {
                    return;
                }
                Batch resend = inFlight.takeWaiting(ch);
                if (resend != null) {
                    ch.writeAndFlush(resend.message());
                    continue;
                }
                if (!fill(jobs, limits.batchJobs(settings.maxBatchJobs()))) {
                    continue;
                }
                for (List<PendingJob> part : splitToFrames(jobs, limits.frameBytes())) {
                    long id = nextRequestId++;
                    Batch batch = Batch.of(id, settings.namespace(), session + ":" + id, part);
                    if (inFlight.admit(ch, batch)) {
                        ch.writeAndFlush(batch.message());
                    }
                }
                jobs.clear();
            }
        } catch (InterruptedException e) {
            // stop(): InFlight has failed or will fail whatever is left
        }
    }

    /**
     * Cuts the jobs, in order, into batches that each fit the gateway's frame limit: a frame over
     * it would close the connection, and resending it would do so again for good. A job that
     * cannot fit a frame even alone fails at once, never sent.
     */
    static List<List<PendingJob>> splitToFrames(List<PendingJob> jobs, int maxFrameBytes) {
        long room = (long) maxFrameBytes - GatewayLimits.BATCH_OVERHEAD_BYTES;
        List<List<PendingJob>> parts = new ArrayList<>(1);
        List<PendingJob> part = new ArrayList<>(jobs.size());
        long bytes = 0;
        for (PendingJob p : jobs) {
            long size = (long) p.job().getSerializedSize() + GatewayLimits.JOB_OVERHEAD_BYTES;
            if (size > room) {
                p.future().completeExceptionally(new SubmitException(SubmitException.Code.INVALID,
                        SubmitException.Outcome.NOT_SENT, "the job is " + size + " bytes on the wire, over the gateway's"
                                + " frame limit of " + maxFrameBytes + " bytes (HelloOk.max_frame_bytes)"));
                continue;
            }
            if (bytes + size > room && !part.isEmpty()) {
                parts.add(part);
                part = new ArrayList<>();
                bytes = 0;
            }
            part.add(p);
            bytes += size;
        }
        if (!part.isEmpty()) {
            parts.add(part);
        }
        return parts;
    }

    /**
     * Waits briefly for a first job, then takes what is buffered and, while an earlier batch is
     * still unanswered, lingers for more; false if none came. Lingering only while busy keeps a
     * lone submit fast and still forms large batches under load, when there is always a batch in
     * flight to wait for anyway. Interrupted, it keeps what it has: {@link InFlight#admit} fails
     * those jobs if the producer has stopped.
     */
    private boolean fill(List<PendingJob> jobs, int maxJobs) {
        try {
            PendingJob first = inFlight.pollBuffered(IDLE_POLL_NANOS);
            if (first == null) {
                return false;
            }
            jobs.add(first);
            long until = System.nanoTime() + (inFlight.busy() ? settings.linger().toNanos() : 0);
            while (jobs.size() < maxJobs) {
                if (inFlight.drainBuffered(jobs, maxJobs - jobs.size()) > 0) {
                    continue;
                }
                long left = until - System.nanoTime();
                PendingJob next = left > 0 ? inFlight.pollBuffered(left) : null;
                if (next == null) {
                    break;
                }
                jobs.add(next);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        jobs.removeIf(p -> p.future().isDone()); // the caller cancelled it meanwhile
        return !jobs.isEmpty();
    }
}
