package io.seriatim.core.script;

/**
 * The status codes that scripts return as the first element of their reply. One list, so a
 * code means the same thing in every script (see each script's {@code Returns} header).
 */
public enum ScriptStatus {
    OK(0),
    ENQUEUED(1),
    DUPLICATE(2),
    CONTINUE(10),
    RELEASED(11),
    YIELDED(12),
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
