package io.seriatim.cli;

import io.seriatim.core.queue.KeyedQueue;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "unpark", mixinStandardHelpOptions = true,
        description = "Let a parked key run again; its head job gets a fresh set of attempts.")
final class UnparkCommand extends OperatorCommand {
    @Parameters(paramLabel = "KEY")
    String key;

    @Override
    int run(KeyedQueue queue, PrintWriter out) {
        if (queue.unpark(key)) {
            out.println("unparked " + key);
            return ExitCode.OK;
        }
        out.println(key + " is not parked");
        return ExitCode.FAILED;
    }
}
