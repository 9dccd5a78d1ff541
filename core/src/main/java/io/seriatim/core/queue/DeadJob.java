package io.seriatim.core.queue;

/**
 * A dead-lettered job.
 *
 * @param entryId  its id in the partition's dead-letter stream (page with it)
 * @param attempts attempts it used
 * @param deadAtMs Redis time when it was dead-lettered
 */
public record DeadJob(String entryId, int partition, Job job, String error, int attempts, long deadAtMs) {
}
