package io.seriatim.core.queue;

import io.seriatim.core.script.ScriptStatus;
import java.util.List;

/**
 * The answer to an ack.
 *
 * @param status     CONTINUE (lease extended, {@code nextJobs} follow), RELEASED (no more jobs),
 *                   YIELDED (fairness budget spent, key at the back of ready), or STALE /
 *                   HEAD_MISMATCH (nothing changed: drop the key at once)
 * @param deadlineMs the new lease deadline under CONTINUE, else -1
 */
public record AckResult(ScriptStatus status, long deadlineMs, List<Job> nextJobs) {
    public boolean stillHeld() {
        return status == ScriptStatus.CONTINUE;
    }
}
