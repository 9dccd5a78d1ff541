package io.seriatim.cli;

import io.seriatim.core.queue.KeyedQueue;
import picocli.CommandLine.Command;

@Command(name = "resume", mixinStandardHelpOptions = true, description = "Let workers claim keys again.")
final class ResumeCommand extends OperatorCommand {
    @Override
    Answer run(KeyedQueue queue) {
        queue.resume();
        return new Answer().line("resumed %s", queue.settings().name()).field("namespace", queue.settings().name())
                .field("resumed", true);
    }
}
