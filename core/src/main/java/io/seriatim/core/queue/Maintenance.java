package io.seriatim.core.queue;

import static io.seriatim.core.script.Args.num;
import static io.seriatim.core.script.Args.text;
import static io.seriatim.core.settings.Check.atLeast;
import static io.seriatim.core.settings.Check.range;

import io.seriatim.core.keys.NamespaceKeys;
import io.seriatim.core.keys.PartitionKeys;
import io.seriatim.core.script.Reply;
import io.seriatim.core.script.Script;
import io.seriatim.core.script.ScriptRunner;
import io.seriatim.core.settings.NamespaceSettings;
import java.util.List;

/**
 * The sweeper's side of the queue, one partition and a bounded amount per call: take back expired
 * leases (sweep.lua) and move due delayed jobs into their strands (promote_delayed.lua).
 *
 * <p>Stateless and thread-safe; two sweepers at once are safe (both scripts are idempotent).
 */
final class Maintenance {
    private final NamespaceSettings settings;
    private final NamespaceKeys keys;
    private final ScriptRunner scripts;

    Maintenance(NamespaceSettings settings, NamespaceKeys keys, ScriptRunner scripts) {
        this.settings = settings;
        this.keys = keys;
        this.scripts = scripts;
    }

    SweepResult sweep(int partition, int limit) {
        atLeast("limit", limit, 1);
        PartitionKeys p = keys.partition(partition);
        Reply r = scripts.run(Script.SWEEP,
                List.of(p.leases(), p.owners(), p.attempts(), p.stats(), p.bell()),
                List.of(p.prefixBytes(), num(limit), num(settings.maxAttempts()), text(settings.failurePolicy().name())));
        return readSweep(r);
    }

    /** sweep's answer: {swept, deadLettered, parked, more}. */
    private static SweepResult readSweep(Reply r) {
        return new SweepResult(r.count(0), r.count(1), r.count(2), r.flag(3));
    }

    Promoted promoteDue(int partition, int limit) {
        range("limit", limit, 1, 1000);
        PartitionKeys p = keys.partition(partition);
        Reply r = scripts.run(Script.PROMOTE_DELAYED, List.of(p.delayed(), p.stats()),
                List.of(p.prefixBytes(), num(limit)));
        return readPromoted(r);
    }

    /** promote_delayed's answer: {promoted, more}. */
    private static Promoted readPromoted(Reply r) {
        return new Promoted(r.count(0), r.flag(1));
    }
}
