package io.seriatim.cli;

import io.seriatim.core.queue.KeyInspection;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;

/** The words operator commands use for Redis times, durations, payloads and damaged keys: one place for each. */
final class OperatorText {
    private static final int PREVIEW_BYTES = 40;

    private OperatorText() {}

    /** A lease deadline as an instant and how far it is from Redis' now: "...Z (in 3.3 s)", or expired. */
    static String redisTime(long atMs, long nowMs) {
        if (atMs < 0) {
            return "(none)";
        }
        return atMs >= nowMs ? when(atMs, nowMs) : iso(atMs) + " (" + duration(nowMs - atMs) + " ago: expired, the sweeper"
                + " takes it back)";
    }

    /** A Redis-clock time as an instant and its distance from now: "2026-12-01T21:40:00.123Z (3.3 s ago)" or "(in 2 s)". */
    static String when(long atMs, long nowMs) {
        if (atMs < 0) {
            return "(none)";
        }
        long delta = atMs - nowMs;
        return iso(atMs) + (delta >= 0 ? " (in " + duration(delta) + ")" : " (" + duration(-delta) + " ago)");
    }

    /** ISO-8601 UTC, or null for "none" (-1), as JSON answers carry times. */
    static String iso(long atMs) {
        return atMs < 0 ? null : Instant.ofEpochMilli(atMs).toString();
    }

    /** A duration in the largest units that say it: "850 ms", "3.3 s", "4 min 5 s", "2 h 3 min", "3 d 4 h". */
    static String duration(long ms) {
        if (ms < 1000) {
            return ms + " ms";
        }
        if (ms < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        long s = ms / 1000;
        if (s < 3600) {
            return s / 60 + " min " + s % 60 + " s";
        }
        if (s < 86_400) {
            return s / 3600 + " h " + s % 3600 / 60 + " min";
        }
        return s / 86_400 + " d " + s % 86_400 / 3600 + " h";
    }

    /** The first bytes of a payload as text, control characters shown as dots. */
    static String preview(byte[] payload) {
        String head = new String(payload, 0, Math.min(PREVIEW_BYTES, payload.length), StandardCharsets.UTF_8)
                .replaceAll("\\p{Cntrl}", ".");
        return payload.length > PREVIEW_BYTES ? head + "..." : head;
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
