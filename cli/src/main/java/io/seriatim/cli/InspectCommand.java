package io.seriatim.cli;

import io.seriatim.core.keys.PartitionKeys;
import io.seriatim.core.queue.Job;
import io.seriatim.core.queue.KeyInspection;
import io.seriatim.core.queue.KeyedQueue;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show one key: its state, lease owner, attempts and first jobs.")
final class InspectCommand extends OperatorCommand {
    @Parameters(paramLabel = "KEY", description = "the ordering key")
    String key;

    @Option(names = "--peek", defaultValue = "5", description = "head jobs to show (default ${DEFAULT-VALUE})")
    int peek;

    @Override
    int run(KeyedQueue queue, PrintWriter out) {
        KeyInspection k = queue.inspect(key, Flags.atLeast("--peek", peek, 0));
        out.printf("key        %s%n", k.key());
        PartitionKeys p = queue.keys().partitionOf(key);
        out.printf("partition  %d of %d  (hash tag {%s}, slot %d)%n", p.partition(), queue.partitionCount(), p.tag(),
                p.slot());
        out.printf("state      %s%n", k.state());
        switch (k.state()) {
            case READY -> out.printf("ready at   %d (Redis ms)%n", k.scoreMs());
            case LEASED -> out.printf("lease      until %d (Redis ms), owner fence|granted|jobsRun|worker = %s%n",
                    k.scoreMs(), k.owner());
            case PARKED -> out.printf("parked     %s%n", k.parkedReason());
            case IDLE -> { }
        }
        if (!k.parkWaiting().isEmpty()) {
            out.printf("parking    when the running job ends (ack, fail, release or lease expiry): %s%n", k.parkWaiting());
        }
        if (k.stagedJobs() > 0) {
            out.printf("replayed   %d job(s) wait to run first once the running job ends%n", k.stagedJobs());
        }
        if (k.problem() != KeyInspection.Problem.NONE) {
            out.println("PROBLEM    " + OperatorText.problem(k));
        }
        out.printf("pending    %d%n", k.pending());
        out.printf("attempts   %d (of the head job)%n", k.attempts());
        for (Job j : k.head()) {
            out.printf("  job %d  attempt %d  submitted %d  %d bytes%n", j.id(), j.attempt(), j.submittedAtMs(),
                    j.payload().length);
        }
        return ExitCode.OK;
    }
}
