package io.seriatim.core.queue;

/**
 * Result of {@link KeyedQueue#promoteDue}: delayed jobs moved to their keys, and whether the
 * limit cut the call short (more are due).
 */
public record Promoted(int jobs, boolean more) {}
