package io.seriatim.core.queue;

/**
 * What {@link KeyedQueue#pause} found: the keys whose holders run on (a pause starts nothing and
 * takes nothing from a holder; they stop claiming only new keys).
 *
 * @param runningKeys         leased keys over every partition at the moment of the pause
 * @param lastLeaseDeadlineMs the latest of their lease deadlines (Redis clock), -1 when none
 */
public record Paused(long runningKeys, long lastLeaseDeadlineMs) {
}
