package io.seriatim.core.queue;

import java.time.Duration;

/** Fewer replicas than asked confirmed a write in time (Redis WAIT). The primary has it. */
public class NotReplicatedException extends RuntimeException {
    public NotReplicatedException(long reached, int wanted, Duration timeout) {
        super("only " + reached + " of " + wanted + " replicas confirmed the write within " + timeout);
    }
}
