package io.seriatim.verify;

import java.util.List;

/**
 * What the history shows.
 *
 * @param lost            acknowledged submits that never ran (must be 0, but for keys expected
 *                        to be held back, which are counted in {@code heldBack})
 * @param heldBack        acknowledged submits of keys the run expected to hold (a parked key)
 *                        that never ran
 * @param unexpected      runs of jobs that were never submitted (must be 0)
 * @param orderViolations runs that started while an earlier job of the key, one that did run at
 *                        some point, had not started yet (must be 0)
 * @param staleRuns       runs under a fence smaller than one already seen running for the key,
 *                        after it (must be 0: a stale holder must have stopped)
 * @param unknownRan      jobs whose submit outcome was unknown to the producer and that ran
 * @param duplicateRuns   runs beyond the first of a job (allowed after crashes and takeovers)
 * @param maxRunsOfAJob   most runs of one job
 * @param keyOverlaps     runs that started while a run of the same key under another lease had
 *                        not ended (where ends were recorded): two runs of one key at once. A
 *                        holder frozen past its lease (SIGSTOP, a cut link) can cause them, so
 *                        they are counted apart from order; a run without such faults must have none
 * @param examples        a few human-readable findings, for the report
 */
public record Verdict(long submitted, long acknowledged, long runs, long distinctJobsRun, long keys, long lost,
        long heldBack, long unexpected, long orderViolations, long staleRuns, long unknownRan, long duplicateRuns,
        long maxRunsOfAJob, long keyOverlaps, List<String> examples) {

    public boolean ok() {
        return lost == 0 && orderHeld();
    }

    /** Order and fencing held and nothing ran that was not submitted: what no fault may break. */
    public boolean orderHeld() {
        return unexpected == 0 && orderViolations == 0 && staleRuns == 0;
    }

    public String summary() {
        return String.format("order held: %s, lost: %d, unexpected: %d, order violations: %d, stale runs: %d, "
                        + "duplicates: %d (max %d runs of one job), key overlaps: %d; %d acknowledged, %d runs over %d keys",
                orderViolations == 0 && staleRuns == 0 ? "yes" : "NO", lost, unexpected, orderViolations, staleRuns,
                duplicateRuns, maxRunsOfAJob, keyOverlaps, acknowledged, runs, keys);
    }
}
