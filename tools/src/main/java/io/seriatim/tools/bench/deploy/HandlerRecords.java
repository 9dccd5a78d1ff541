package io.seriatim.tools.bench.deploy;

import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The runs one worker process's handler saw, in growable primitive arrays: no per-job object, no
 * per-job I/O on the path being measured.
 *
 * <p>Threads: {@link #add} is called by the worker's strands (one virtual thread per held key,
 * many at once); {@link #snapshot} by the shutdown hook. One lock guards the arrays: uncontended
 * it costs tens of nanoseconds a job, and it gives the snapshot a happens-before edge to every add.
 */
final class HandlerRecords {
    private final ReentrantLock lock = new ReentrantLock();
    private int[] keys = new int[1 << 16];
    private int[] seqs = new int[1 << 16];
    private long[] starts = new long[1 << 16];
    private long[] submits = new long[1 << 16];
    private int size; // guarded by lock, as are the arrays

    void add(int key, int seq, long startNanos, long submitNanos) {
        lock.lock();
        try {
            if (size == keys.length) {
                int grown = Math.multiplyExact(size, 2);
                keys = Arrays.copyOf(keys, grown);
                seqs = Arrays.copyOf(seqs, grown);
                starts = Arrays.copyOf(starts, grown);
                submits = Arrays.copyOf(submits, grown);
            }
            keys[size] = key;
            seqs[size] = seq;
            starts[size] = startNanos;
            submits[size] = submitNanos;
            size++;
        } finally {
            lock.unlock();
        }
    }

    /** A copy of what was recorded so far. */
    Runs snapshot() {
        lock.lock();
        try {
            return new Runs(Arrays.copyOf(keys, size), Arrays.copyOf(seqs, size), Arrays.copyOf(starts, size),
                    Arrays.copyOf(submits, size));
        } finally {
            lock.unlock();
        }
    }
}
