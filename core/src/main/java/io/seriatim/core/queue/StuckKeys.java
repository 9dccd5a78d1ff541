package io.seriatim.core.queue;

import java.util.List;

/**
 * What keeps a namespace's keys from moving: the keys stuck and why, and what holds the whole
 * namespace.
 *
 * @param keys               at most the limit asked for, most urgent reason first
 * @param truncated          more keys were stuck than the limit
 * @param parkedKeys         every parked key, listed or not
 * @param paused             the namespace is paused: no key is claimed until resume
 * @param overdueDelayedJobs delayed jobs due longer ago than the grace and not yet promoted (a sweeper promotes them)
 * @param oldestOverdueMs    when the oldest of those was due (Redis clock), -1 if none
 * @param nowMs              Redis' clock when read
 */
public record StuckKeys(List<StuckKey> keys, boolean truncated, long parkedKeys, boolean paused,
        long overdueDelayedJobs, long oldestOverdueMs, long nowMs) {
}
