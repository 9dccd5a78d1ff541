package io.seriatim.bench.kafka;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * One pass's answer, checked for every key: each key's handler calls must see seq 1, 2, 3, ... with
 * nothing skipped or repeated, and each key's last seq must be what was produced for it. Also the
 * produce-call to handler-start latency, read from the send time the producer wrote into the value
 * (producer and consumer share this JVM, so {@link System#nanoTime()} is one clock).
 *
 * <p>A message's value is {@code seq} (8 bytes), the send's {@code nanoTime} (8 bytes), then zeros
 * up to the payload size; its key is {@code key-<index>}.
 */
final class Check {
    static final int HEADER_BYTES = 16;

    private final AtomicLongArray last;
    final AtomicLong runs = new AtomicLong();
    final AtomicLong violations = new AtomicLong();
    /** nanoTime of the latest handler call: the end of the pass once every message has run. */
    volatile long lastRunAt;

    private final boolean timed;
    /** Sends before this nanoTime are the head, reported apart: set when the clock starts. */
    private volatile long headEnd = Long.MIN_VALUE;
    private final Recorder head = new Recorder(3);
    private final Recorder rest = new Recorder(3);

    /** @param timed record latencies (paced and mixed; elsewhere the send time is not the job's start) */
    Check(int keys, boolean timed) {
        this.last = new AtomicLongArray(keys);
        this.timed = timed;
    }

    /**
     * Messages sent before {@code headEnd} (the first seconds of the run, while the JIT still
     * compiles) are the head: their latencies are kept apart from the rest.
     */
    void headUntil(long headEnd) {
        this.headEnd = headEnd;
    }

    static byte[] value(long seq, long sentNanos, int payloadBytes) {
        return ByteBuffer.allocate(Math.max(HEADER_BYTES, payloadBytes)).putLong(seq).putLong(sentNanos).array();
    }

    /** The handler's first act, before any work of its own. */
    void saw(String key, byte[] value) {
        long now = System.nanoTime();
        ByteBuffer v = ByteBuffer.wrap(value);
        long seq = v.getLong();
        long sent = v.getLong();
        if (timed) {
            (sent < headEnd ? head : rest).recordValue(Math.max(0, (now - sent) / 1000));
        }
        int k = Integer.parseInt(key, 4, key.length(), 10); // "key-<index>"
        if (last.getAndSet(k, seq) != seq - 1) {
            violations.incrementAndGet();
        }
        runs.incrementAndGet();
        lastRunAt = now;
    }

    /**
     * Messages produced but never run in order: with no violations each key ran exactly 1..last, so
     * this is exact; with violations the pass has failed anyway and this is a lower bound.
     */
    long lost(long[] produced) {
        long lost = 0;
        for (int k = 0; k < produced.length; k++) {
            lost += Math.max(0, produced[k] - last.get(k));
        }
        return lost;
    }

    Histogram latencies() {
        return rest.getIntervalHistogram();
    }

    Histogram headLatencies() {
        return head.getIntervalHistogram();
    }
}
