package io.seriatim.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.seriatim.core.queue.DeadJob;
import io.seriatim.core.queue.KeyedQueue;
import io.seriatim.core.queue.Replayed;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code seriatim dlq list|replay|purge}. */
@Command(name = "dlq", mixinStandardHelpOptions = true,
        description = "Browse, replay or purge dead-lettered jobs.",
        subcommands = {DlqCommand.List.class, DlqCommand.Replay.class, DlqCommand.Purge.class})
final class DlqCommand {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List dead jobs, oldest first.")
    static final class List extends OperatorCommand {
        @Option(names = "--limit", defaultValue = "50", description = "most jobs per partition (default ${DEFAULT-VALUE})")
        int limit;

        @Option(names = "--key", description = "only this key's dead jobs")
        String key;

        @Override
        Answer run(KeyedQueue queue) {
            Answer a = new Answer();
            JsonArray jobs = new JsonArray();
            for (int p = 0; p < queue.partitionCount(); p++) {
                for (DeadJob d : queue.deadJobs(p, null, Flags.atLeast("--limit", limit, 1))) {
                    if (key != null && !key.equals(d.job().key())) {
                        continue;
                    }
                    String preview = OperatorText.preview(d.job().payload());
                    a.line("%s  key=%s  job=%d  attempts=%d  error=%s  payload=%s", d.entryId(), d.job().key(), d.job().id(),
                            d.attempts(), d.error(), preview);
                    JsonObject o = new JsonObject();
                    o.addProperty("entry", d.entryId());
                    o.addProperty("key", d.job().key());
                    o.addProperty("job", d.job().id());
                    o.addProperty("attempts", d.attempts());
                    o.addProperty("error", d.error());
                    o.addProperty("submittedAt", OperatorText.iso(d.job().submittedAtMs()));
                    o.addProperty("preview", preview);
                    jobs.add(o);
                }
            }
            return a.line("%d dead job(s) shown", jobs.size()).field("jobs", jobs);
        }
    }

    @Command(name = "replay", mixinStandardHelpOptions = true,
            description = "Put dead jobs back into their keys, in the order they died.")
    static final class Replay extends OperatorCommand {
        @Option(names = "--key", description = "only this key's dead jobs (default: every key)")
        String key;

        @Option(names = "--to-head", description = "run them before the key's pending jobs (default: after)")
        boolean toHead;

        @Option(names = "--limit", defaultValue = "1000", description = "most entries examined per partition (default ${DEFAULT-VALUE})")
        int limit;

        @Override
        Answer run(KeyedQueue queue) {
            Replayed r = queue.replayDead(key, toHead, Flags.atLeast("--limit", limit, 1));
            Answer a = new Answer().field("replayed", r.jobs()).field("waitingKeys", r.waitingKeys()).field("toHead", toHead);
            return r.waitingKeys() == 0 ? a.line("replayed %d job(s)", r.jobs())
                    : a.line("replayed %d job(s); %d key(s) had a running job: their replayed jobs run first once it"
                            + " finishes (ack, fail, release or lease expiry)", r.jobs(), r.waitingKeys());
        }
    }

    @Command(name = "purge", mixinStandardHelpOptions = true, description = "Delete dead jobs for good.")
    static final class Purge extends OperatorCommand {
        @Option(names = "--key", description = "only this key's dead jobs (default: every key)")
        String key;

        @Option(names = "--limit", defaultValue = "1000", description = "most entries examined per partition (default ${DEFAULT-VALUE})")
        int limit;

        @Override
        Answer run(KeyedQueue queue) {
            long purged = queue.purgeDead(key, Flags.atLeast("--limit", limit, 1));
            return new Answer().field("purged", purged).line("purged %d job(s)", purged);
        }
    }
}
