package io.seriatim.worker.internal;

import io.seriatim.core.queue.Lease;

/**
 * One key this worker holds: its lease and the worker's own monotonic view of it.
 *
 * <p>Written by the key's strand thread (after each ack) and by the renewer thread; read by both.
 * The fields are volatile and each write replaces a whole value, so no lock is needed.
 */
final class HeldKey {
    private volatile Lease lease;
    /** System.nanoTime() after which this worker stops trusting the lease. */
    private volatile long trustedUntilNanos;
    private volatile boolean lost;
    private volatile boolean stopping;
    private volatile boolean ending;
    private final long marginNanos;

    HeldKey(Lease lease, long requestSentNanos, long leaseNanos) {
        this.lease = lease;
        this.marginNanos = leaseNanos / 5;
        this.trustedUntilNanos = requestSentNanos + leaseNanos - marginNanos;
    }

    Lease lease() {
        return lease;
    }

    /**
     * Redis extended the lease by a request sent at {@code requestSentNanos}: the lease cannot end
     * before that moment plus the lease time, whatever the network did.
     */
    void extended(Lease newLease, long requestSentNanos, long leaseNanos) {
        lease = newLease;
        trustedUntilNanos = Math.max(trustedUntilNanos, requestSentNanos + leaseNanos - marginNanos);
    }

    /**
     * The strand sends a call that may end the lease itself (ack, fail, release). Until an ack
     * answers CONTINUE, a renewal answered STALE may be that call's doing, not a lost lease: a
     * renewal sent before the call and applied after it finds the key released normally.
     */
    void ending() {
        ending = true;
    }

    /** The ack answered CONTINUE: the lease goes on, and a STALE renewal means it was lost. */
    void continued() {
        ending = false;
    }

    /** True while a call of the strand that may end the lease is out or has ended it. */
    boolean isEnding() {
        return ending;
    }

    /** Redis said the lease is gone (STALE): stop before the next job. */
    void lost() {
        lost = true;
    }

    boolean isLost() {
        return lost;
    }

    /** The worker is shutting down: finish the current job, then give the key back. */
    void stop() {
        stopping = true;
    }

    long remainingNanos() {
        return trustedUntilNanos - System.nanoTime();
    }

    /** May the next job start? */
    boolean mayRunNext() {
        return !lost && !stopping && remainingNanos() > 0;
    }
}
