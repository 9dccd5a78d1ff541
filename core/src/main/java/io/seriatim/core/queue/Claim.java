package io.seriatim.core.queue;

import java.util.List;

/**
 * The answer to one claim on one partition.
 *
 * @param redisTimeMs Redis time when the claim ran
 * @param nextDueMs   earliest time another key of the partition may be claimed, -1 when no key is
 *                    ready; at or before {@code redisTimeMs} when more keys are due now
 * @param paused      the namespace is paused: nothing was granted
 */
public record Claim(long redisTimeMs, long nextDueMs, boolean paused, List<ClaimedKey> keys) {
}
