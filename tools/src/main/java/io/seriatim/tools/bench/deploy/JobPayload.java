package io.seriatim.tools.bench.deploy;

import java.nio.ByteBuffer;

/**
 * The payload of a deployment-bench job: the key's index, the job's sequence number within its
 * key (1, 2, 3, ...) and the client's {@code System.nanoTime()} when it called submit, padded with
 * zeros to the payload size. {@code nanoTime} is CLOCK_MONOTONIC on Linux, one clock for every
 * process on the host, so a worker process can subtract the client's reading from its own.
 *
 * <p>The key's index travels in the payload so that the handler records it without parsing the
 * key's name on the path it measures.
 */
final class JobPayload {
    /** Key index (int), seq (int), submit nanos (long). */
    static final int MIN_BYTES = 16;

    private JobPayload() {}

    static byte[] encode(int keyIndex, int seq, long submitNanos, int size) {
        if (size < MIN_BYTES) {
            throw new IllegalArgumentException("payload must be >= " + MIN_BYTES + " bytes, got " + size);
        }
        return ByteBuffer.allocate(size).putInt(keyIndex).putInt(seq).putLong(submitNanos).array();
    }

    static int keyIndex(byte[] payload) {
        return ByteBuffer.wrap(payload).getInt(0);
    }

    static int seq(byte[] payload) {
        return ByteBuffer.wrap(payload).getInt(4);
    }

    static long submitNanos(byte[] payload) {
        return ByteBuffer.wrap(payload).getLong(8);
    }
}
