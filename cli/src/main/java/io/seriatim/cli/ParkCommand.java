package io.seriatim.cli;

import io.seriatim.core.queue.KeyedQueue;
import io.seriatim.core.script.ScriptStatus;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "park", mixinStandardHelpOptions = true,
        description = "Hold a key: none of its jobs runs until unpark. Revokes a current lease.")
final class ParkCommand extends OperatorCommand {
    @Parameters(paramLabel = "KEY")
    String key;

    @Option(names = "--reason", defaultValue = "parked by operator", description = "why (shown by inspect)")
    String reason;

    @Override
    int run(KeyedQueue queue, PrintWriter out) {
        ScriptStatus s = queue.park(key, reason);
        switch (s) {
            case OK -> out.println("parked " + key);
            case ALREADY_PARKED -> out.println(key + " was already parked");
            case NOT_FOUND -> {
                out.println(key + " has no pending jobs: nothing to park");
                return ExitCode.FAILED;
            }
            default -> throw new IllegalStateException("park answered " + s);
        }
        return ExitCode.OK;
    }
}
