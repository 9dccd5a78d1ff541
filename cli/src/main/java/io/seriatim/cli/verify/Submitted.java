package io.seriatim.cli.verify;

/**
 * One submit as the verifiable producer saw it: {@code acked} when the gateway acknowledged it
 * (it must run), false when the outcome is unknown or it was refused (it may or may not run).
 */
public record Submitted(String key, long seq, long jobId, boolean acked) {
}
