package io.seriatim.core.queue;

import io.seriatim.core.script.ScriptStatus;

/**
 * The answer to a fail. The lease ends in every case but STALE / HEAD_MISMATCH.
 *
 * @param status    RETRY (key ready again at {@code readyAtMs}), DEAD (job in the DLQ), PARKED,
 *                  STALE or HEAD_MISMATCH (nothing changed)
 * @param attempts  attempts the job has used, counting this one
 */
public record FailResult(ScriptStatus status, int attempts, long readyAtMs) {
}
