package io.seriatim.cli;

import io.seriatim.core.queue.KeyedQueue;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

@Command(name = "resume", mixinStandardHelpOptions = true, description = "Let workers claim keys again.")
final class ResumeCommand extends OperatorCommand {
    @Override
    int run(KeyedQueue queue, PrintWriter out) {
        queue.resume();
        out.println("resumed " + queue.settings().name());
        return ExitCode.OK;
    }
}
