package io.seriatim.cli;

import io.seriatim.core.queue.KeyedQueue;
import io.seriatim.core.queue.ParkResult;
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
    Answer run(KeyedQueue queue) {
        ParkResult r = queue.park(key, reason);
        Answer a = new Answer().field("key", key).field("reason", reason);
        return switch (r.status()) {
            case OK -> a.field("status", "parked").line("parked %s", key);
            case DEFERRED -> a.field("status", "deferred").field("fence", r.fence()).field("worker", r.workerId())
                    .field("leaseUntil", OperatorText.iso(r.leaseDeadlineMs()))
                    .line("parked %s; the running job (fence %d, worker %s) finishes first, lease until %s", key, r.fence(),
                            r.workerId(), OperatorText.redisTime(r.leaseDeadlineMs(), queue.redisTimeMs()));
            case ALREADY_PARKED -> a.field("status", "already-parked").line("%s was already parked", key);
            case NOT_FOUND -> a.field("status", "not-found").line("%s has no pending jobs: nothing to park", key)
                    .exit(ExitCode.FAILED);
            default -> throw new IllegalStateException("park answered " + r.status());
        };
    }
}
