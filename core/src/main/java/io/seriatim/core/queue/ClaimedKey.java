package io.seriatim.core.queue;

import java.util.List;

/** One key granted by a claim: its lease and the first jobs of its strand, in order. */
public record ClaimedKey(Lease lease, List<Job> jobs) {
}
