package io.seriatim.worker;

import java.util.Map;

/**
 * One job as a handler sees it.
 *
 * @param id            unique within the namespace
 * @param key           the ordering key
 * @param payload       the submitted bytes (do not modify)
 * @param headers       the submitted headers
 * @param attempt       1 on the first run; retries and expired leases count up
 * @param fence         the lease's fencing token: greater for every later lease of the key's
 *                      partition, so a downstream store can refuse writes from a stale holder
 * @param submittedAtMs when it was enqueued, on the Redis clock
 */
public record WorkerJob(long id, String namespace, String key, byte[] payload, Map<String, String> headers,
        int attempt, long fence, long submittedAtMs) {
}
