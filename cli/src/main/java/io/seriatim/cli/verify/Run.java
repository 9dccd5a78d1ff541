package io.seriatim.cli.verify;

/**
 * One handler start as the verifiable consumer saw it.
 *
 * @param monoNanos System.nanoTime() at handler start: CLOCK_MONOTONIC, comparable across
 *                  processes on one machine, which is how runs of several workers are ordered
 */
public record Run(String key, long seq, long jobId, long fence, int attempt, long pid, long monoNanos) {
}
