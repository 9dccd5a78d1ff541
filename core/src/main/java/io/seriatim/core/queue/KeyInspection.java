package io.seriatim.core.queue;

import java.util.List;

/**
 * A consistent snapshot of one key, for operators.
 *
 * @param scoreMs      ready time (READY) or lease deadline (LEASED), else -1
 * @param owner        {@code fence|grantedAtMs|jobsRun|workerId} while LEASED, else empty
 * @param attempts     failed attempts of the head job
 * @param parkedReason why it is held, empty unless PARKED
 * @param parkWaiting  the reason of a park that waits for the holder's lease to end, else empty
 * @param stagedJobs   jobs replayed to the head that wait for the holder's lease to end
 * @param problem      what breaks the invariant for this key, {@link Problem#NONE} normally
 */
public record KeyInspection(String key, KeyState state, long scoreMs, String owner, int attempts,
        String parkedReason, long pending, List<Job> head, String parkWaiting, long stagedJobs, Problem problem) {

    /**
     * Damage to a key's bookkeeping, each a way the invariant "a key with pending jobs is in
     * exactly one of ready, leases, parked" (with owners matching leases) is broken. The
     * sweeper's repair pass mends each (docs/sweeper.md).
     */
    public enum Problem {
        NONE(""),
        /** Pending jobs, but not ready, leased or parked: no worker would ever take them. */
        STRANDED("stranded"),
        /** An owner entry without a lease: no sweep would ever end it. */
        OWNER_WITHOUT_LEASE("owner-without-lease"),
        /** A lease without an owner: its holder cannot renew or ack; it ends at its deadline. */
        LEASE_WITHOUT_OWNER("lease-without-owner"),
        /** In more than one of ready, leases, parked: two workers could run it at once. */
        MORE_THAN_ONE_PLACE("more-than-one-place"),
        /** Ready, leased or parked without a pending job. */
        TOKEN_WITHOUT_JOBS("token-without-jobs");

        private final String word;

        Problem(String word) {
            this.word = word;
        }

        /** The word inspect.lua and repair.lua use. */
        public String word() {
            return word;
        }

        static Problem of(String word) {
            for (Problem p : values()) {
                if (p.word.equals(word)) {
                    return p;
                }
            }
            throw new IllegalStateException("unknown problem '" + word + "'");
        }
    }
}
