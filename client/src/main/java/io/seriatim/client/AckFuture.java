package io.seriatim.client;

import java.util.concurrent.CompletableFuture;

/**
 * The future of a job submitted through {@link Producer#submitAcknowledged}: the job id as for any
 * submit, and whether the answer was {@code duplicate_of}, which {@link InFlight} sets before it
 * completes the future (so a dependent stage sees it).
 */
final class AckFuture extends CompletableFuture<Long> {
    private volatile boolean duplicate;

    void markDuplicate() {
        duplicate = true;
    }

    boolean duplicate() {
        return duplicate;
    }
}
