package io.seriatim.cli;

import io.seriatim.core.queue.DeadJob;
import io.seriatim.core.queue.KeyedQueue;
import io.seriatim.core.queue.Replayed;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
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
        int run(KeyedQueue queue, PrintWriter out) {
            int shown = 0;
            for (int p = 0; p < queue.partitionCount(); p++) {
                for (DeadJob d : queue.deadJobs(p, null, Flags.atLeast("--limit", limit, 1))) {
                    if (key != null && !key.equals(d.job().key())) {
                        continue;
                    }
                    String preview = new String(d.job().payload(), 0, Math.min(40, d.job().payload().length),
                            StandardCharsets.UTF_8).replaceAll("\\p{Cntrl}", ".");
                    out.printf("%s  key=%s  job=%d  attempts=%d  error=%s  payload=%s%n", d.entryId(),
                            d.job().key(), d.job().id(), d.attempts(), d.error(), preview);
                    shown++;
                }
            }
            out.printf("%d dead job(s) shown%n", shown);
            return ExitCode.OK;
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
        int run(KeyedQueue queue, PrintWriter out) {
            Replayed r = queue.replayDead(key, toHead, Flags.atLeast("--limit", limit, 1));
            out.print("replayed " + r.jobs() + " job(s)");
            if (r.waitingKeys() > 0) {
                out.print("; " + r.waitingKeys() + " key(s) had a running job: their replayed jobs run first once it"
                        + " finishes (ack, fail, release or lease expiry)");
            }
            out.println();
            return ExitCode.OK;
        }
    }

    @Command(name = "purge", mixinStandardHelpOptions = true, description = "Delete dead jobs for good.")
    static final class Purge extends OperatorCommand {
        @Option(names = "--key", description = "only this key's dead jobs (default: every key)")
        String key;

        @Option(names = "--limit", defaultValue = "1000", description = "most entries examined per partition (default ${DEFAULT-VALUE})")
        int limit;

        @Override
        int run(KeyedQueue queue, PrintWriter out) {
            out.println("purged " + queue.purgeDead(key, Flags.atLeast("--limit", limit, 1)) + " job(s)");
            return ExitCode.OK;
        }
    }
}
