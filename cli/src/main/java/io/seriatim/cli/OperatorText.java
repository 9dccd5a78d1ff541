package io.seriatim.cli;

import io.seriatim.core.queue.KeyInspection;
import java.time.Instant;
import java.util.Locale;

/** The words operator commands use for Redis times and damaged keys: one place for each. */
final class OperatorText {
    private OperatorText() {}

    /** A Redis-clock time as an instant and how far it is from Redis' now: "...Z (in 3.3 s)". */
    static String redisTime(long atMs, long nowMs) {
        if (atMs < 0) {
            return "(none)";
        }
        long delta = atMs - nowMs;
        String rel = String.format(Locale.ROOT, "%.1f s", Math.abs(delta) / 1000.0);
        return Instant.ofEpochMilli(atMs) + (delta >= 0 ? " (in " + rel + ")" : " (" + rel + " ago: expired, the sweeper"
                + " takes it back)");
    }

    /** What is wrong with a key's bookkeeping, and what mends it (see docs/sweeper.md, "Self-repair"). */
    static String problem(KeyInspection k) {
        return switch (k.problem()) {
            case NONE -> "";
            case STRANDED -> "STRANDED: " + k.pending() + " pending job(s) but not ready, leased or parked;"
                    + " the sweeper repairs it (or a new submit to the key)";
            case OWNER_WITHOUT_LEASE -> "OWNER WITHOUT LEASE: an owner entry (" + k.owner() + ") but no lease;"
                    + " the sweeper restores the lease, expiring now: a live holder renews it, a dead one is swept";
            case LEASE_WITHOUT_OWNER -> "LEASE WITHOUT OWNER: its holder can neither renew nor ack;"
                    + " the sweeper takes it back at its deadline";
            case MORE_THAN_ONE_PLACE -> "MORE THAN ONE PLACE: in two of ready, leases, parked;"
                    + " the sweeper keeps the lease (or the park) and drops the rest";
            case TOKEN_WITHOUT_JOBS -> "TOKEN WITHOUT JOBS: " + k.state() + " with no pending job;"
                    + " the sweeper drops the token";
        };
    }
}
