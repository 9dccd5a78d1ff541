package io.seriatim.core.queue;

/** Where a key is. A key with pending jobs is in exactly one of READY, LEASED, PARKED. */
public enum KeyState {
    READY, LEASED, PARKED,
    /** No pending jobs. */
    IDLE
}
