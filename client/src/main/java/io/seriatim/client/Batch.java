package io.seriatim.client;

import io.seriatim.proto.v1.Envelope;
import io.seriatim.proto.v1.SubmitBatch;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A batch of jobs as it goes on the wire. Once {@code written}, it is resent byte for byte so
 * the gateway's dedup recognises it; before that the gateway has never seen it.
 *
 * @param requestId unique per producer, in the order batches were formed: the order they go in
 * @param jobs      the jobs, in submit order; the answer's results come in the same order
 * @param message   the SubmitBatch envelope
 * @param written   handed to a connection at least once, so the gateway may have enqueued it
 */
record Batch(long requestId, List<PendingJob> jobs, Envelope message, boolean written) {

    static Batch of(long requestId, String namespace, String dedupId, List<PendingJob> jobs) {
        SubmitBatch.Builder b = SubmitBatch.newBuilder().setRequestId(requestId).setNamespace(namespace)
                .setBatchDedupId(dedupId);
        for (PendingJob p : jobs) {
            b.addJobs(p.job());
        }
        return new Batch(requestId, List.copyOf(jobs), Envelope.newBuilder().setSubmit(b).build(), false);
    }

    Batch asWritten() {
        return written ? this : new Batch(requestId, jobs, message, true);
    }

    /**
     * Without {@code gone}: only for a batch never written, which the gateway has not seen, so a
     * job failed as never sent can be taken out before it ever is.
     */
    Batch without(Collection<PendingJob> gone) {
        if (written) {
            throw new IllegalStateException("batch " + requestId + " was written: it must be resent as it was");
        }
        Set<PendingJob> out = new HashSet<>(gone);
        SubmitBatch sent = message.getSubmit();
        return of(requestId, sent.getNamespace(), sent.getBatchDedupId(), jobs.stream().filter(p -> !out.contains(p)).toList());
    }

}
