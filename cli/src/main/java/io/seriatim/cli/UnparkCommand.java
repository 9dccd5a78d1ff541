package io.seriatim.cli;

import io.seriatim.core.queue.KeyedQueue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "unpark", mixinStandardHelpOptions = true,
        description = "Let a parked key run again; its head job gets a fresh set of attempts. On a key whose park "
                + "still waits for its running job, withdraws the park.")
final class UnparkCommand extends OperatorCommand {
    @Parameters(paramLabel = "KEY")
    String key;

    @Override
    Answer run(KeyedQueue queue) {
        Answer a = new Answer().field("key", key);
        return switch (queue.unpark(key)) {
            case OK -> a.field("status", "unparked").line("unparked %s", key);
            case CANCELLED -> a.field("status", "cancelled").line("unparked %s: the park that waited for its running job"
                    + " is withdrawn; the worker keeps the key", key);
            default -> a.field("status", "not-parked").line("%s is not parked", key).exit(ExitCode.FAILED);
        };
    }
}
