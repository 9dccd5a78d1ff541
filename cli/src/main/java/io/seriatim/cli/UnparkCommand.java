package io.seriatim.cli;

import io.seriatim.core.queue.KeyedQueue;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "unpark", mixinStandardHelpOptions = true,
        description = "Let a parked key run again; its head job gets a fresh set of attempts. On a key whose park "
                + "still waits for its running job, withdraws the park.")
final class UnparkCommand extends OperatorCommand {
    @Parameters(paramLabel = "KEY")
    String key;

    @Override
    int run(KeyedQueue queue, PrintWriter out) {
        switch (queue.unpark(key)) {
            case OK -> out.println("unparked " + key);
            case CANCELLED -> out.println("unparked " + key + ": the park that waited for its running job is withdrawn;"
                    + " the worker keeps the key");
            default -> {
                out.println(key + " is not parked");
                return ExitCode.FAILED;
            }
        }
        return ExitCode.OK;
    }
}
