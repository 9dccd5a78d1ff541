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

    /** OK, NOT_FOUND (the key has no jobs) or ALREADY_PARKED, as park.lua answers. */
    ScriptStatus park(String key, String reason) {
        validator.checkKey(key);
        PartitionKeys p = keys.partitionOf(key);
        Reply r = scripts.run(Script.PARK, List.of(p.ready(), p.leases(), p.owners(), p.parked(), p.queue(key)),
                List.of(text(key), text(reason == null || reason.isEmpty() ? "parked by operator" : reason)));
        return r.status(0);
    }

    boolean unpark(String key) {
        validator.checkKey(key);
        PartitionKeys p = keys.partitionOf(key);
        Reply r = scripts.run(Script.UNPARK, List.of(p.ready(), p.parked(), p.attempts(), p.bell(), p.queue(key)),
                List.of(text(key)));
        return r.status(0) == ScriptStatus.OK; // else NOT_PARKED
    }

    void pause() {
        for (PartitionKeys p : keys.partitions()) {
            scripts.run(Script.PAUSE, List.of(p.paused()), List.of());
        }
    }

    void resume() {
        for (PartitionKeys p : keys.partitions()) {
            scripts.run(Script.RESUME, List.of(p.paused(), p.bell()), List.of());
        }
    }
}
