package io.seriatim.cli;

import io.seriatim.core.queue.KeyedQueue;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

@Command(name = "pause", mixinStandardHelpOptions = true,
        description = "Stop workers claiming keys of the namespace. Submits are still accepted; held leases run on.")
final class PauseCommand extends OperatorCommand {
    @Override
    int run(KeyedQueue queue, PrintWriter out) {
        queue.pause();
        out.println("paused " + queue.settings().name());
        return ExitCode.OK;
    }
}
