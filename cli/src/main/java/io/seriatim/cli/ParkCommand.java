package io.seriatim.cli;

import io.seriatim.core.queue.KeyedQueue;
import io.seriatim.core.queue.ParkResult;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "park", mixinStandardHelpOptions = true,
        description = "Hold a key: none of its jobs starts until unpark. A running job finishes first: the park "
                + "takes effect when its worker acks, fails or releases the key, or its lease expires.")
final class ParkCommand extends OperatorCommand {
    @Parameters(paramLabel = "KEY")
    String key;

    @Option(names = "--reason", defaultValue = "parked by operator", description = "why (shown by inspect)")
    String reason;

    @Override
    int run(KeyedQueue queue, PrintWriter out) {
        ParkResult r = queue.park(key, reason);
        switch (r.status()) {
            case OK -> out.println("parked " + key);
            case DEFERRED -> out.printf("parked %s; the running job (fence %d, worker %s) finishes first, lease until %s%n",
                    key, r.fence(), r.workerId(), OperatorText.redisTime(r.leaseDeadlineMs(), queue.redisTimeMs()));
            case ALREADY_PARKED -> out.println(key + " was already parked");
            case NOT_FOUND -> {
                out.println(key + " has no pending jobs: nothing to park");
                return ExitCode.FAILED;
            }
            default -> throw new IllegalStateException("park answered " + r.status());
        }
        return ExitCode.OK;
    }
}
