package io.seriatim.core.queue;

/**
 * A key that is not moving, and why (see {@link KeyedQueue#stuckKeys}).
 *
 * @param sinceMs  when the reason began (Redis clock): the lease's deadline for {@code LEASE_EXPIRED},
 *                 its grant for {@code RUNNING_LONG}; -1 where Redis does not know (a park)
 * @param untilMs  when it moves again by itself: the end of a backoff; -1 otherwise
 * @param attempts failed attempts of the head job
 * @param workerId the lease holder, for lease reasons; empty otherwise
 * @param fence    the holder's fence, for lease reasons; -1 otherwise
 * @param detail   the park's reason, for {@code PARKED}; empty otherwise
 */
public record StuckKey(String key, Reason reason, long sinceMs, long untilMs, int attempts, String workerId, long fence,
        String detail) {

    /** Why a key does not move, in the order a listing names them (most urgent first). */
    public enum Reason {
        /** Its lease ran out and no sweeper took it back within the grace: is a sweeper running? */
        LEASE_EXPIRED,
        /** Its holder has run it for longer than the threshold asked for: a slow or hung handler. */
        RUNNING_LONG,
        /** Held: out of attempts under PARK, or parked by an operator; it waits for unpark. */
        PARKED,
        /** Its head job failed and waits out its backoff. */
        BACKING_OFF
    }
}
