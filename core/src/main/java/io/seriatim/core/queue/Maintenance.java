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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.resps.Tuple;

/**
 * The sweeper's side of the queue, one partition and a bounded amount per call: take back expired
 * leases (sweep.lua), move due delayed jobs into their strands (promote_delayed.lua), and check a
 * page of keys against the invariant, mending what is broken (repair.lua).
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
                List.of(p.leases(), p.owners(), p.attempts(), p.stats(), p.bell(), p.deferred()),
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

    /**
     * One page of the partition's repair pass: up to about {@code count} names from the current
     * source's scan (SCAN MATCH of the queue lists, ZSCAN of ready or leases, HSCAN of parked,
     * owners, attempts or deferred: each visits a bounded part of its structure, whatever its size), then one repair
     * call over the ordering keys found. On a Cluster the SCAN goes to the partition's master:
     * its pattern carries the partition's hash tag.
     */
    RepairPage repairPage(int partition, RepairCursor at, int count) {
        range("count", count, 1, 10_000);
        PartitionKeys p = keys.partition(partition);
        byte[] cursor = text(at.cursor());
        ScanParams params = new ScanParams().count(count);
        String during = "scanning " + p.prefix() + " for repair";
        List<byte[]> found = new ArrayList<>();
        String next = switch (at.source()) {
            case QUEUES -> {
                byte[] queuePrefix = text(p.prefix() + "q:");
                // Literal as a glob: a tag is the namespace name ([A-Za-z0-9_.-]), digits and colons;
                // its braces make a Cluster client send the SCAN to the partition's master.
                ScanResult<byte[]> r = scripts.command(during,
                        redis -> redis.scan(cursor, params.match(text(p.prefix() + "q:*"))));
                r.getResult().forEach(name -> found.add(java.util.Arrays.copyOfRange(name, queuePrefix.length, name.length)));
                yield r.getCursor();
            }
            case READY, LEASES -> {
                byte[] zset = at.source() == RepairCursor.Source.READY ? p.ready() : p.leases();
                ScanResult<Tuple> r = scripts.command(during, redis -> redis.zscan(zset, cursor, params));
                r.getResult().forEach(t -> found.add(t.getBinaryElement()));
                yield r.getCursor();
            }
            case PARKED, OWNERS, ATTEMPTS, DEFERRED -> {
                byte[] hash = switch (at.source()) {
                    case PARKED -> p.parked();
                    case OWNERS -> p.owners();
                    case ATTEMPTS -> p.attempts();
                    default -> p.deferred();
                };
                ScanResult<Map.Entry<byte[], byte[]>> r = scripts.command(during, redis -> redis.hscan(hash, cursor, params));
                r.getResult().forEach(e -> found.add(e.getKey()));
                yield r.getCursor();
            }
        };
        List<RepairPage.Mended> mended = new ArrayList<>();
        if (!found.isEmpty()) {
            List<byte[]> args = new ArrayList<>(found.size() + 1);
            args.add(p.prefixBytes());
            args.addAll(found);
            Reply r = scripts.run(Script.REPAIR, List.of(p.ready(), p.leases(), p.owners(), p.parked(), p.deferred(),
                    p.attempts(), p.stats(), p.bell()), args);
            for (int i = 1; i + 1 < r.size(); i += 2) { // {checked, key, problem, ...}
                mended.add(new RepairPage.Mended(r.text(i), r.text(i + 1)));
            }
        }
        if (!next.equals("0")) {
            return new RepairPage(new RepairCursor(at.source(), next), false, found.size(), mended);
        }
        RepairCursor following = at.nextSource();
        return following == null ? new RepairPage(RepairCursor.start(), true, found.size(), mended)
                : new RepairPage(following, false, found.size(), mended);
    }

    /** promote_delayed's answer: {promoted, more}. */
    private static Promoted readPromoted(Reply r) {
        return new Promoted(r.count(0), r.flag(1));
    }
}
