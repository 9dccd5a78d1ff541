package io.seriatim.worker.internal;

import java.util.BitSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The partitions whose bell a watcher heard and the claimer has not taken yet, and the waits on
 * them: the claimer's for a ring, a watcher's for its partition to be taken. Thread-safe.
 */
final class RungPartitions {
    private static final int[] NONE = {};

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final BitSet rung = new BitSet();
    private boolean closed;

    /** A watcher heard partition {@code p}'s bell. */
    void mark(int p) {
        lock.lock();
        try {
            rung.set(p);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The claimer: waits at most {@code ms} for a partition to be marked, then takes every marked
     * one. None when the time ran out or this was closed.
     */
    int[] take(long ms) {
        lock.lock();
        try {
            long left = TimeUnit.MILLISECONDS.toNanos(ms);
            while (rung.isEmpty() && !closed && left > 0) {
                left = changed.awaitNanos(left);
            }
            int[] taken = rung.stream().toArray();
            rung.clear();
            changed.signalAll();
            return taken.length == 0 ? NONE : taken;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return NONE;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A watcher: waits until the claimer has taken partition {@code p}. A worker that has not yet
     * claimed a partition it heard (all its slots are busy) does not listen for the partition's
     * next ring, which another worker's watcher then hears. False once this is closed.
     */
    boolean awaitTaken(int p) {
        lock.lock();
        try {
            while (rung.get(p) && !closed) {
                changed.awaitUninterruptibly();
            }
            return !closed;
        } finally {
            lock.unlock();
        }
    }

    /** Ends every wait, now and later. */
    void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
