package io.seriatim.core.queue;

import static io.seriatim.core.script.Args.text;

import io.seriatim.core.keys.NamespaceKeys;
import io.seriatim.core.keys.PartitionKeys;
import io.seriatim.core.script.Reply;
import io.seriatim.core.script.Script;
import io.seriatim.core.script.ScriptRunner;
import io.seriatim.core.script.ScriptStatus;
import java.util.List;

/**
 * An operator's holds: park and unpark one key (park.lua, unpark.lua), pause and resume claims in
 * the whole namespace (pause.lua, resume.lua, once per partition).
 *
 * <p>Stateless and thread-safe.
 */
final class Holds {
    private final NamespaceKeys keys;
    private final ScriptRunner scripts;
    private final JobValidator validator;

    Holds(NamespaceKeys keys, ScriptRunner scripts, JobValidator validator) {
        this.keys = keys;
        this.scripts = scripts;
        this.validator = validator;
    }

    /** park.lua's answer: {OK}, {DEFERRED, fence, workerId, deadlineMs}, {NOT_FOUND} or {ALREADY_PARKED}. */
    ParkResult park(String key, String reason) {
        validator.checkKey(key);
        PartitionKeys p = keys.partitionOf(key);
        Reply r = scripts.run(Script.PARK,
                List.of(p.ready(), p.leases(), p.owners(), p.parked(), p.queue(key), p.deferred()),
                List.of(text(key), text(reason == null || reason.isEmpty() ? "parked by operator" : reason)));
        ScriptStatus status = r.status(0);
        return status == ScriptStatus.DEFERRED ? new ParkResult(status, r.integer(1), r.text(2), r.integer(3))
                : new ParkResult(status, -1, "", -1);
    }

    /** OK (parked key now ready), CANCELLED (a waiting park withdrawn) or NOT_PARKED, as unpark.lua answers. */
    ScriptStatus unpark(String key) {
        validator.checkKey(key);
        PartitionKeys p = keys.partitionOf(key);
        Reply r = scripts.run(Script.UNPARK,
                List.of(p.ready(), p.parked(), p.attempts(), p.bell(), p.queue(key), p.deferred()), List.of(text(key)));
        return r.status(0);
    }

    /** pause.lua per partition: {OK, leased, lastDeadlineMs}, summed. */
    Paused pause() {
        long running = 0;
        long last = -1;
        for (PartitionKeys p : keys.partitions()) {
            Reply r = scripts.run(Script.PAUSE, List.of(p.paused(), p.leases()), List.of());
            running += r.integer(1);
            last = Math.max(last, r.integer(2));
        }
        return new Paused(running, last);
    }

    void resume() {
        for (PartitionKeys p : keys.partitions()) {
            scripts.run(Script.RESUME, List.of(p.paused(), p.bell()), List.of());
        }
    }
}
