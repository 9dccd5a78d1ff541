package io.seriatim.worker.internal;

import io.seriatim.core.queue.AckRequest;
import io.seriatim.core.queue.AckResult;
import io.seriatim.core.queue.LiveQueue;
import io.seriatim.core.redis.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * Group commit of the strands' acks: every ack waiting when a flusher comes free goes to Redis
 * in one call (one ack script call per partition, pipelined), instead of one call per key. A
 * script call costs Redis about 35 µs of its own when calls arrive one by one, so with many
 * keys draining at once this is most of what an ack costs. Alone, an ack waits for nothing: a
 * free flusher takes it at once.
 *
 * <p>Threads: strands call {@link #ack} and wait for its answer; {@value #FLUSHERS} platform
 * threads, owned by this class, take what is queued and call Redis (platform threads: a virtual
 * thread's every socket read goes through the JDK's poller and back, and these do nothing else). {@link #close} stops them,
 * after the strands have ended, and fails whatever is still queued.
 */
final class AckBatcher implements AutoCloseable {
    /** Calls in flight: two keep Redis busy while one answer travels back; more would only split batches. */
    static final int FLUSHERS = 2;
    /** Keys per call at most: Redis spends less per key up to about 64 (measured: 3.3 us per dense job at 8-64, 5.4 at 256), and one call stays short next to other clients. */
    private static final int MAX_KEYS_PER_CALL = 64;

    private record Pending(AckRequest request, CompletableFuture<AckResult> answer) {}

    private final LiveQueue live;
    private final Duration leaseTime;
    private final IntConsumer keysPerCall;
    private final LinkedBlockingQueue<Pending> queued = new LinkedBlockingQueue<>();
    private final List<Thread> flushers = new ArrayList<>();
    private volatile boolean running = true;

    /**
     * @param keysPerCall told the number of keys of each call made (for the metrics)
     */
    AckBatcher(LiveQueue live, Duration leaseTime, String namespace, IntConsumer keysPerCall) {
        this.live = live;
        this.leaseTime = leaseTime;
        this.keysPerCall = keysPerCall;
        for (int i = 0; i < FLUSHERS; i++) {
            flushers.add(Thread.ofPlatform().daemon().name("seriatim-acks-" + namespace + "-" + i).unstarted(this::flushLoop));
        }
    }

    /** Starts the flushers: before the first strand. */
    void start() {
        flushers.forEach(Thread::start);
    }

    /**
     * Acknowledges one key's jobs together with whatever else is waiting; blocks until Redis
     * answered. Throws what the call threw (the caller retries while its lease can be trusted).
     */
    AckResult ack(AckRequest request) {
        Pending p = new Pending(request, new CompletableFuture<>());
        queued.add(p);
        if (!running) {
            p.answer.completeExceptionally(new IllegalStateException("the worker has stopped acknowledging"));
        }
        try {
            return p.answer.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private void flushLoop() {
        List<Pending> batch = new ArrayList<>();
        while (running) {
            try {
                Pending first = queued.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queued.drainTo(batch, MAX_KEYS_PER_CALL - 1);
                flush(batch);
            } catch (InterruptedException e) {
                break;
            } finally {
                batch.clear();
            }
        }
    }

    private void flush(List<Pending> batch) {
        List<AckRequest> requests = new ArrayList<>(batch.size());
        batch.forEach(p -> requests.add(p.request));
        try {
            // The namespace's settings as they are now: fairness changes apply from the next call.
            List<Outcome<AckResult>> results = live.get().ackAll(requests, leaseTime);
            keysPerCall.accept(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                // A failed master fails the acks of its keys only: each strand retries its own.
                Outcome<AckResult> r = results.get(i);
                if (r.failed()) {
                    batch.get(i).answer.completeExceptionally(r.error());
                } else {
                    batch.get(i).answer.complete(r.value());
                }
            }
        } catch (RuntimeException e) {
            batch.forEach(p -> p.answer.completeExceptionally(e));
        }
    }

    /** Stops the flushers; acks still queued, or sent after this, fail. Call once the strands have ended. */
    @Override
    public void close() {
        running = false;
        flushers.forEach(Thread::interrupt);
        for (Thread t : flushers) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Pending p;
        while ((p = queued.poll()) != null) {
            p.answer.completeExceptionally(new IllegalStateException("the worker has stopped acknowledging"));
        }
    }
}
