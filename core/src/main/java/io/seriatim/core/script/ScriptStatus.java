package io.seriatim.core.script;

/**
 * The status codes that scripts return as the first element of their reply. One list, so a
 * code means the same thing in every script (see each script's {@code Returns} header).
 */
public enum ScriptStatus {
    OK(0),
    ENQUEUED(1),
    DUPLICATE(2),
    /**
     * park: the key is leased, and the park waits for the holder's lease to end (ack, fail,
     * release or expiry) rather than start a second run of the key beside the holder's.
     */
    DEFERRED(3),
    /** unpark: a park that still waited for the key's holder is withdrawn; the holder keeps the key. */
    CANCELLED(4),
    CONTINUE(10),
    RELEASED(11),
    YIELDED(12),
    /**
     * ack: an operator's act waited for this ack (a park, a replay to the head): the lease ends
     * here and the act applies; the key is parked, or ready with the replayed jobs first.
     */
    HANDED_OVER(13),
    RETRY(20),
    DEAD(21),
    PARKED(22),
    /** The caller no longer holds the lease (fence or worker id differ): nothing changed. */
    STALE(-1),
    /** The key's head is not exactly the jobs named: nothing changed. */
    HEAD_MISMATCH(-2),
    NOT_FOUND(-3),
    NOT_PARKED(-4),
    ALREADY_PARKED(-5),
    /**
     * enqueue_many: Redis no longer has the id block the jobs were stamped from (a restart that
     * lost its last writes, a failover, a flush): nothing changed; stamp again from a new block.
     */
    IDS_LOST(-6);

    private final int code;

    ScriptStatus(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static ScriptStatus of(long code) {
        for (ScriptStatus s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        throw new IllegalStateException("unknown script status " + code);
    }
}
