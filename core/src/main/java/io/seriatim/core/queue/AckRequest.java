package io.seriatim.core.queue;

import java.util.List;

/**
 * One held key's acknowledgement: its head jobs {@code jobIds} (in order) ran.
 *
 * @param batch how many of the key's next jobs to hand back with the extended lease (0: none)
 * @param skip  jobs after the acked ones that the caller already holds: the next jobs start after them
 */
public record AckRequest(Lease lease, List<Long> jobIds, int batch, int skip) {
    public AckRequest {
        if (jobIds.isEmpty()) {
            throw new IllegalArgumentException("ack needs at least one job id");
        }
        jobIds = List.copyOf(jobIds);
    }
}
