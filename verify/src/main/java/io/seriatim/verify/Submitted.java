package io.seriatim.verify;

/**
 * One submit as the verifiable producer saw it: {@code acked} when the gateway acknowledged it
 * (it must run), false when the outcome is unknown or it was refused (it may or may not run).
 *
 * @param monoNanos System.nanoTime() when the outcome was known, or -1 when not recorded
 */
public record Submitted(String key, long seq, long jobId, boolean acked, long monoNanos) {
}
