package io.seriatim.core.queue;

import static io.seriatim.core.script.Args.num;
import static io.seriatim.core.script.Args.text;
import static io.seriatim.core.settings.Check.atLeast;
import static java.nio.charset.StandardCharsets.UTF_8;

import io.seriatim.core.keys.NamespaceKeys;
import io.seriatim.core.keys.PartitionKeys;
import io.seriatim.core.script.Reply;
import io.seriatim.core.script.Script;
import io.seriatim.core.script.ScriptRunner;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The dead-letter streams of a namespace, one per partition: list their jobs, replay them into
 * their strands (dlq_replay.lua) or purge them (dlq_purge.lua).
 *
 * <p>Stateless and thread-safe.
 */
final class DeadLetters {
    private final NamespaceKeys keys;
    private final ScriptRunner scripts;
    private final JobValidator validator;

    DeadLetters(NamespaceKeys keys, ScriptRunner scripts, JobValidator validator) {
        this.keys = keys;
        this.scripts = scripts;
        this.validator = validator;
    }

    List<DeadJob> deadJobs(int partition, String afterId, int count) {
        PartitionKeys p = keys.partition(partition);
        byte[] start = text(afterId == null ? "-" : "(" + afterId);
        List<Object> entries = scripts.command("reading the dead letters in " + p.prefix() + "dlq",
                redis -> redis.xrange(p.dlq(), start, text("+"), count));
        List<DeadJob> out = new ArrayList<>(entries.size());
        for (Object entry : entries) {
            out.add(readEntry((List<?>) entry, partition));
        }
        return out;
    }

    /**
     * One entry of the binary XRANGE, raw: {@code [id, [field, value, ...]]} with the fields
     * dead_letter.lua writes: key, job (stored bytes), error, attempts, at.
     */
    private static DeadJob readEntry(List<?> entry, int partition) {
        List<?> fields = (List<?>) entry.get(1);
        Map<String, byte[]> f = new HashMap<>();
        for (int i = 0; i + 1 < fields.size(); i += 2) {
            f.put(new String((byte[]) fields.get(i), UTF_8), (byte[]) fields.get(i + 1));
        }
        String key = new String(f.get("key"), UTF_8);
        int attempts = Integer.parseInt(new String(f.get("attempts"), UTF_8));
        return new DeadJob(new String((byte[]) entry.get(0), UTF_8), partition, JobCodec.decode(f.get("job"), key, attempts),
                new String(f.get("error"), UTF_8), attempts, Long.parseLong(new String(f.get("at"), UTF_8)));
    }

    Replayed replay(String key, boolean toHead, int limit) {
        atLeast("limit", limit, 1);
        long replayed = 0;
        long waiting = 0;
        for (PartitionKeys p : partitionsOf(key)) {
            Reply r = scripts.run(Script.DLQ_REPLAY,
                    List.of(p.dlq(), p.ready(), p.leases(), p.parked(), p.attempts(), p.stats(), p.bell(), p.deferred()),
                    List.of(p.prefixBytes(), text(key == null ? "" : key), num(limit), num(toHead ? 1 : 0), text("-")));
            replayed += r.integer(0); // {replayed, lastExaminedId, waiting}
            waiting += r.integer(2);
        }
        return new Replayed(replayed, waiting);
    }

    long purge(String key, int limit) {
        atLeast("limit", limit, 1);
        long purged = 0;
        for (PartitionKeys p : partitionsOf(key)) {
            purged += scripts.run(Script.DLQ_PURGE, List.of(p.dlq(), p.stats()),
                    List.of(text(key == null ? "" : key), num(limit), text("-")))
                    .integer(0); // {purged, lastExaminedId}
        }
        return purged;
    }

    /** The partitions that may hold {@code key}'s dead jobs: all of them when it is null. */
    private List<PartitionKeys> partitionsOf(String key) {
        if (key == null) {
            return keys.partitions();
        }
        validator.checkKey(key);
        return List.of(keys.partitionOf(key));
    }
}
