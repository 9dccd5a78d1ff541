package io.seriatim.core.queue;

import io.seriatim.core.script.ScriptStatus;

/**
 * What {@link KeyedQueue#park} did. A key whose job may be running is not taken from its holder:
 * the park waits until the holder acks, fails or releases the key, or its lease expires
 * ({@link ScriptStatus#DEFERRED}), so that no job of the key starts beside the running one.
 *
 * @param status          OK (parked now), DEFERRED (parks when the holder's lease ends),
 *                        ALREADY_PARKED or NOT_FOUND (the key has no pending jobs)
 * @param fence           the holder's fence while DEFERRED, else -1
 * @param workerId        the holder's worker id while DEFERRED, else empty
 * @param leaseDeadlineMs the holder's lease deadline (Redis clock) while DEFERRED, else -1; it
 *                        moves on while the holder renews
 */
public record ParkResult(ScriptStatus status, long fence, String workerId, long leaseDeadlineMs) {
    /** True if the park waits for a running holder. */
    public boolean waitsForHolder() {
        return status == ScriptStatus.DEFERRED;
    }
}
