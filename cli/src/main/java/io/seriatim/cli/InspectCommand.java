package io.seriatim.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.seriatim.core.keys.PartitionKeys;
import io.seriatim.core.queue.Job;
import io.seriatim.core.queue.KeyInspection;
import io.seriatim.core.queue.KeyedQueue;
import io.seriatim.core.queue.LeaseOwner;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show one key: what it is doing and why, its lease holder, attempts and first jobs.")
final class InspectCommand extends OperatorCommand {
    @Parameters(paramLabel = "KEY", description = "the ordering key")
    String key;

    @Option(names = "--peek", defaultValue = "5", description = "head jobs to show (default ${DEFAULT-VALUE})")
    int peek;

    @Override
    Answer run(KeyedQueue queue) {
        KeyInspection k = queue.inspect(key, Flags.atLeast("--peek", peek, 0));
        long now = queue.redisTimeMs();
        int maxAttempts = queue.settings().maxAttempts();
        PartitionKeys p = queue.keys().partitionOf(key);
        Answer a = new Answer().field("key", k.key()).field("partition", p.partition()).field("state", k.state().name());
        a.line("key        %s", k.key());
        a.line("partition  %d of %d  (hash tag {%s}, slot %d)", p.partition(), queue.partitionCount(), p.tag(), p.slot());
        a.line("state      %s", state(k, now, a));
        if (!k.parkWaiting().isEmpty()) {
            a.line("parking    when the running job ends (ack, fail, release or lease expiry): %s", k.parkWaiting());
            a.field("parkWaiting", k.parkWaiting());
        }
        if (k.stagedJobs() > 0) {
            a.line("replayed   %d job(s) wait to run first once the running job ends", k.stagedJobs());
        }
        a.field("stagedJobs", k.stagedJobs());
        if (k.problem() != KeyInspection.Problem.NONE) {
            a.line("PROBLEM    %s", OperatorText.problem(k));
        }
        a.field("problem", k.problem() == KeyInspection.Problem.NONE ? null : k.problem().word());
        a.line("pending    %d job(s)", k.pending());
        a.line("attempts   %s", k.attempts() == 0 ? "none failed yet (of " + maxAttempts + " allowed for the head job)"
                : "the head job failed " + k.attempts() + " of " + maxAttempts + " allowed time(s)");
        a.field("pending", k.pending()).field("attempts", k.attempts()).field("maxAttempts", maxAttempts);
        JsonArray head = new JsonArray();
        if (!k.head().isEmpty()) {
            a.line("first jobs");
        }
        for (Job j : k.head()) {
            a.line("  job %d  submitted %s  attempt %d  %d bytes  \"%s\"", j.id(), OperatorText.when(j.submittedAtMs(), now),
                    j.attempt(), j.payload().length, OperatorText.preview(j.payload()));
            JsonObject o = new JsonObject();
            o.addProperty("id", j.id());
            o.addProperty("submittedAt", OperatorText.iso(j.submittedAtMs()));
            o.addProperty("attempt", j.attempt());
            o.addProperty("bytes", j.payload().length);
            o.addProperty("preview", OperatorText.preview(j.payload()));
            head.add(o);
        }
        return a.field("head", head).field("now", OperatorText.iso(now));
    }

    /** The state in words, its details added to the JSON answer. */
    private static String state(KeyInspection k, long now, Answer a) {
        switch (k.state()) {
            case READY -> {
                a.field("readyAt", OperatorText.iso(k.scoreMs()));
                if (k.scoreMs() > now) {
                    return "READY, backing off until " + OperatorText.when(k.scoreMs(), now)
                            + (k.attempts() > 0 ? " after " + k.attempts() + " failed attempt(s)" : "");
                }
                return "READY, waiting for a worker since " + OperatorText.when(k.scoreMs(), now);
            }
            case LEASED -> {
                Optional<LeaseOwner> owner = LeaseOwner.parse(k.owner());
                JsonObject lease = new JsonObject();
                lease.addProperty("until", OperatorText.iso(k.scoreMs()));
                owner.ifPresent(o -> {
                    lease.addProperty("worker", o.workerId());
                    lease.addProperty("fence", o.fence());
                    lease.addProperty("grantedAt", OperatorText.iso(o.grantedAtMs()));
                    lease.addProperty("jobsRun", o.jobsRun());
                });
                a.field("lease", lease);
                return owner.map(o -> "LEASED, running on worker " + o.workerId() + " (fence " + o.fence() + ") since "
                        + OperatorText.when(o.grantedAtMs(), now) + ", " + o.jobsRun() + " job(s) done under this lease;"
                        + " lease until " + OperatorText.redisTime(k.scoreMs(), now))
                        .orElse("LEASED until " + OperatorText.redisTime(k.scoreMs(), now) + ", owner entry unreadable: '"
                                + k.owner() + "'");
            }
            case PARKED -> {
                a.field("parkedReason", k.parkedReason());
                return "PARKED (" + k.parkedReason() + "): none of its jobs starts until `seriatim unpark " + k.key() + "`";
            }
            case IDLE -> {
                return "IDLE: no pending jobs";
            }
            default -> throw new IllegalStateException("unknown state " + k.state());
        }
    }
}
