package io.seriatim.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.seriatim.core.queue.KeyRow;
import io.seriatim.core.queue.KeyedQueue;
import io.seriatim.core.queue.StuckKey;
import io.seriatim.core.queue.StuckKeys;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "keys", mixinStandardHelpOptions = true,
        description = {"List a namespace's keys: the deepest or those with the oldest head job (--top), or those that do "
                + "not move and why (--stuck).",
            "--stuck reads only the keys that are stuck or running now, so it stays cheap in a namespace of millions; "
                + "--top reads every key with pending jobs, 1,000 at a time."})
final class KeysCommand extends OperatorCommand {
    @Option(names = "--stuck", description = "keys that do not move, and why: lease expired and not taken back, "
            + "running longer than --running-longer-than, parked, backing off; and a paused namespace or overdue delayed jobs")
    boolean stuck;

    @Option(names = "--top", paramLabel = "depth|age", defaultValue = "depth",
            description = "order of the listing without --stuck: most pending jobs, or oldest head job (default ${DEFAULT-VALUE})")
    KeyRow.Order top;

    @Option(names = "--prefix", description = "only keys whose name starts with this (without --stuck)")
    String prefix;

    @Option(names = "--limit", defaultValue = "20", description = "most keys listed (default ${DEFAULT-VALUE})")
    int limit;

    @Option(names = "--running-longer-than", paramLabel = "DURATION", defaultValue = "10m",
            description = "a lease held longer than this counts as stuck (default ${DEFAULT-VALUE})")
    Duration runningLongerThan;

    @Option(names = "--grace", paramLabel = "DURATION", defaultValue = "10s",
            description = "how long past due an expired lease or a delayed job may wait for a sweeper before it counts as "
                    + "stuck (default ${DEFAULT-VALUE})")
    Duration grace;

    @Override
    Answer run(KeyedQueue queue) {
        Flags.atLeast("--limit", limit, 1);
        return stuck ? stuck(queue) : top(queue);
    }

    private Answer top(KeyedQueue queue) {
        long now = queue.redisTimeMs();
        List<KeyRow> rows = queue.topKeys(top, prefix, limit);
        Answer a = new Answer().field("order", top.name().toLowerCase(Locale.ROOT)).field("now", OperatorText.iso(now));
        JsonArray keys = new JsonArray();
        a.line("%-32s %-7s %9s  %s", "KEY", "STATE", "PENDING", "HEAD SUBMITTED");
        for (KeyRow r : rows) {
            a.line("%-32s %-7s %9d  %s", r.key(), r.state(), r.depth(), OperatorText.when(r.headSubmitMs(), now));
            JsonObject o = new JsonObject();
            o.addProperty("key", r.key());
            o.addProperty("state", r.state().name());
            o.addProperty("pending", r.depth());
            o.addProperty("headSubmittedAt", OperatorText.iso(r.headSubmitMs()));
            keys.add(o);
        }
        if (rows.isEmpty()) {
            a.line("(no key with pending jobs%s)", prefix == null ? "" : " starting with '" + prefix + "'");
        }
        return a.field("keys", keys);
    }

    private Answer stuck(KeyedQueue queue) {
        if (prefix != null) {
            throw new IllegalArgumentException("--prefix lists by name and --stuck by reason: use one of them");
        }
        StuckKeys s = queue.stuckKeys(runningLongerThan, grace, limit);
        Answer a = new Answer().field("now", OperatorText.iso(s.nowMs())).field("paused", s.paused())
                .field("parkedKeys", s.parkedKeys()).field("overdueDelayedJobs", s.overdueDelayedJobs())
                .field("oldestOverdueDueAt", OperatorText.iso(s.oldestOverdueMs())).field("truncated", s.truncated());
        if (s.paused()) {
            a.line("namespace %s is PAUSED: no key is claimed until `seriatim resume`", queue.settings().name());
        }
        if (s.overdueDelayedJobs() > 0) {
            a.line("%d delayed job(s) overdue, the oldest due %s: is a sweeper running? (it moves due jobs to their keys)",
                    s.overdueDelayedJobs(), OperatorText.when(s.oldestOverdueMs(), s.nowMs()));
        }
        JsonArray keys = new JsonArray();
        for (StuckKey k : s.keys()) {
            a.line("%-32s %s", k.key(), why(k, s.nowMs()));
            JsonObject o = new JsonObject();
            o.addProperty("key", k.key());
            o.addProperty("reason", k.reason().name().toLowerCase(Locale.ROOT).replace('_', '-'));
            o.addProperty("why", why(k, s.nowMs()));
            o.addProperty("since", OperatorText.iso(k.sinceMs()));
            o.addProperty("until", OperatorText.iso(k.untilMs()));
            o.addProperty("attempts", k.attempts());
            if (!k.workerId().isEmpty()) {
                o.addProperty("worker", k.workerId());
                o.addProperty("fence", k.fence());
            }
            if (!k.detail().isEmpty()) {
                o.addProperty("parkedReason", k.detail());
            }
            keys.add(o);
        }
        if (s.truncated()) {
            a.line("(more stuck keys than --limit %d: raise it to see them)", limit);
        }
        if (s.keys().isEmpty() && !s.paused() && s.overdueDelayedJobs() == 0) {
            a.line("no stuck key (%d parked)", s.parkedKeys());
        }
        return a.field("keys", keys);
    }

    private String why(StuckKey k, long now) {
        String attempts = k.attempts() == 0 ? "" : ", " + k.attempts() + " failed attempt(s) of its head job";
        return switch (k.reason()) {
            case LEASE_EXPIRED -> "LEASE EXPIRED " + OperatorText.when(k.sinceMs(), now) + (k.workerId().isEmpty() ? ""
                    : " (worker " + k.workerId() + ", fence " + k.fence() + ")")
                    + " and not taken back: is a sweeper running?" + attempts;
            case RUNNING_LONG -> "RUNNING LONG on worker " + k.workerId() + " (fence " + k.fence() + ") since "
                    + OperatorText.when(k.sinceMs(), now) + ", longer than " + OperatorText.duration(
                            runningLongerThan.toMillis()) + ": a slow or hung handler?" + attempts;
            case PARKED -> "PARKED (" + k.detail() + "): waits for `seriatim unpark " + k.key() + "`" + attempts;
            case BACKING_OFF -> "BACKING OFF until " + OperatorText.when(k.untilMs(), now) + attempts;
        };
    }
}
