package io.seriatim.core.queue;

import java.util.List;

/**
 * One page of a partition's repair pass ({@link KeyedQueue#repairPage}).
 *
 * @param next     where the pass goes on
 * @param passDone this page ended a whole pass over the partition ({@code next} starts another)
 * @param checked  ordering keys checked
 * @param mended   the keys whose bookkeeping was broken, each with what was wrong (repair.lua's
 *                 words: stranded, owner-without-lease, more-than-one-place, token-without-jobs,
 *                 act-without-lease), all mended
 */
public record RepairPage(RepairCursor next, boolean passDone, int checked, List<Mended> mended) {
    /** One key mended, and what was wrong with it. */
    public record Mended(String key, String problem) {}
}
