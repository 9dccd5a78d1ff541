package io.seriatim.core.queue;

import java.util.Map;

/**
 * A job as read back from Redis.
 *
 * @param id            unique within the namespace, see {@link JobIds}
 * @param key           its ordering key
 * @param payload       the bytes submitted
 * @param headers       the headers submitted
 * @param submittedAtMs Redis time when it was enqueued
 * @param attempt       1 for a first run, n for the n-th
 */
public record Job(long id, String key, byte[] payload, Map<String, String> headers, long submittedAtMs,
        int attempt) {
}
