package io.seriatim.verify;

/**
 * One handler start as the verifiable consumer saw it.
 *
 * @param monoNanos System.nanoTime() at handler start: CLOCK_MONOTONIC, comparable across
 *                  processes on one machine, which is how runs of several workers are ordered
 * @param endNanos  System.nanoTime() at handler end, or -1 when not recorded (a crash mid-job)
 */
public record Run(String key, long seq, long jobId, long fence, int attempt, long pid, long monoNanos, long endNanos) {
    /** A run whose end was not recorded. */
    public Run(String key, long seq, long jobId, long fence, int attempt, long pid, long monoNanos) {
        this(key, seq, jobId, fence, attempt, pid, monoNanos, -1);
    }
}
