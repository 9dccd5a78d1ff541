package io.seriatim.core.queue;

import java.util.List;

/**
 * A consistent snapshot of one key, for operators.
 *
 * @param scoreMs      ready time (READY) or lease deadline (LEASED), else -1
 * @param owner        {@code fence|grantedAtMs|jobsRun|workerId} while LEASED, else empty
 * @param attempts     failed attempts of the head job
 * @param parkedReason why it is held, empty unless PARKED
 */
public record KeyInspection(String key, KeyState state, long scoreMs, String owner, int attempts,
        String parkedReason, long pending, List<Job> head) {
}
