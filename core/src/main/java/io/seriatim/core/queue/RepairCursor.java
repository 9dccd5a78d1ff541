package io.seriatim.core.queue;

/**
 * Where one partition's repair pass stands: which of its structures it is scanning and that
 * scan's cursor. A pass scans the queue lists (for jobs without a token), then ready, leases,
 * parked, owners, attempts and deferred acts (for tokens without jobs), one bounded page per call of
 * {@link KeyedQueue#repairPage}; then it starts again. Immutable.
 *
 * @param cursor the Redis SCAN / ZSCAN / HSCAN cursor, "0" at the start of a source
 */
public record RepairCursor(Source source, String cursor) {
    /** The structures a pass scans, in order. */
    public enum Source { QUEUES, READY, LEASES, PARKED, OWNERS, ATTEMPTS, DEFERRED }

    /** The start of a pass. */
    public static RepairCursor start() {
        return new RepairCursor(Source.QUEUES, "0");
    }

    /** Where the pass goes once this source's scan has returned cursor 0; null after the last. */
    RepairCursor nextSource() {
        Source next = switch (source) {
            case QUEUES -> Source.READY;
            case READY -> Source.LEASES;
            case LEASES -> Source.PARKED;
            case PARKED -> Source.OWNERS;
            case OWNERS -> Source.ATTEMPTS;
            case ATTEMPTS -> Source.DEFERRED;
            case DEFERRED -> null;
        };
        return next == null ? null : new RepairCursor(next, "0");
    }
}
