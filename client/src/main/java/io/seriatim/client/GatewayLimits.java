package io.seriatim.client;

import io.seriatim.proto.v1.HelloOk;

/**
 * The limits the gateway announced in its last HelloOk, which the sender forms its batches
 * within: jobs per batch and bytes per frame. A gateway that announces none (0, from a version
 * before the limit) leaves the producer's own settings in force.
 *
 * <p><b>Threads.</b> Written by the I/O thread when Hello is answered, read by the sender thread:
 * the fields are volatile, and a batch formed just before a reconnect uses the limits it saw.
 */
final class GatewayLimits {
    /** A SubmitBatch's own fields (request id, namespace, dedup id) and its envelope, at most. */
    static final int BATCH_OVERHEAD_BYTES = 512;
    /** A job's tag and length inside the batch. */
    static final int JOB_OVERHEAD_BYTES = 6;

    private volatile int maxBatchJobs;
    private volatile int maxFrameBytes;

    void announced(HelloOk ok) {
        maxBatchJobs = ok.getMaxBatchJobs();
        maxFrameBytes = ok.getMaxFrameBytes();
    }

    /** Jobs per batch: the producer's own limit, or the gateway's if that is lower. */
    int batchJobs(int own) {
        int theirs = maxBatchJobs;
        return theirs <= 0 ? own : Math.min(own, theirs);
    }

    /** The longest frame the gateway takes, or {@link Integer#MAX_VALUE} if it has not said. */
    int frameBytes() {
        int theirs = maxFrameBytes;
        return theirs <= 0 ? Integer.MAX_VALUE : theirs;
    }
}
