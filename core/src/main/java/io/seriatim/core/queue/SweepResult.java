package io.seriatim.core.queue;

/**
 * What one sweep call did in one partition.
 *
 * @param swept        expired leases taken back
 * @param deadLettered of those, keys whose head job went to the DLQ (out of attempts, SKIP)
 * @param parked       of those, keys parked (out of attempts, PARK)
 * @param more         the limit was reached: call again
 */
public record SweepResult(int swept, int deadLettered, int parked, boolean more) {
}
