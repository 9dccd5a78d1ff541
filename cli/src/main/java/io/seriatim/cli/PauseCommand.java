package io.seriatim.cli;

import io.seriatim.core.queue.KeyedQueue;
import io.seriatim.core.queue.Paused;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

@Command(name = "pause", mixinStandardHelpOptions = true,
        description = "Stop workers claiming keys of the namespace. Submits are still accepted; held leases run on.")
final class PauseCommand extends OperatorCommand {
    @Override
    int run(KeyedQueue queue, PrintWriter out) {
        Paused p = queue.pause();
        if (p.runningKeys() == 0) {
            out.println("paused " + queue.settings().name());
        } else {
            out.printf("paused %s; %d running key(s) finish their current jobs (no new keys are claimed), last lease until %s%n",
                    queue.settings().name(), p.runningKeys(), OperatorText.redisTime(p.lastLeaseDeadlineMs(), queue.redisTimeMs()));
        }
        return ExitCode.OK;
    }
}
