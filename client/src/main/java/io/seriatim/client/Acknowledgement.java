package io.seriatim.client;

/**
 * The gateway's acknowledgement of one job, for callers that need to tell a new job from one the
 * gateway already had ({@link Producer#submitAcknowledged}).
 *
 * @param jobId     the job's id in Redis
 * @param duplicate true when the gateway answered {@code duplicate_of}: a job under the same dedup
 *                  id was already there (an earlier submit with the same {@code dedupId}, or, for
 *                  a batch the producer resent after a lost connection or an UNAVAILABLE answer,
 *                  its own first send). Either way the job is in Redis under {@code jobId}.
 */
public record Acknowledgement(long jobId, boolean duplicate) {}
