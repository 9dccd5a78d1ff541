package io.seriatim.core.queue;

/**
 * One key of a listing by depth or head age (see {@link KeyedQueue#topKeys}).
 *
 * @param depth         pending jobs
 * @param headSubmitMs  the head job's submit time (Redis clock), kept through retries; -1 if the key has no jobs
 */
public record KeyRow(String key, KeyState state, long depth, long headSubmitMs) {

    /** How {@link KeyedQueue#topKeys} orders keys. */
    public enum Order {
        /** Most pending jobs first. */
        DEPTH,
        /** Oldest head job first. */
        AGE
    }
}
