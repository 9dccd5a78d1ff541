package io.seriatim.core.queue;

/**
 * What {@link KeyedQueue#replayDead} did.
 *
 * @param jobs        dead jobs put back into their strands
 * @param waitingKeys keys replayed to the head while leased: their replayed jobs wait until the
 *                    holder's lease ends (ack, fail, release or expiry) and then run first, so
 *                    that no job of the key starts beside the running one
 */
public record Replayed(long jobs, long waitingKeys) {
}
