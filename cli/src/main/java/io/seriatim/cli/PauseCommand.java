package io.seriatim.cli;

import io.seriatim.core.queue.KeyedQueue;
import io.seriatim.core.queue.Paused;
import picocli.CommandLine.Command;

@Command(name = "pause", mixinStandardHelpOptions = true,
        description = "Stop workers claiming keys of the namespace. Submits are still accepted; held leases run on.")
final class PauseCommand extends OperatorCommand {
    @Override
    Answer run(KeyedQueue queue) {
        Paused p = queue.pause();
        String name = queue.settings().name();
        Answer a = new Answer().field("namespace", name).field("paused", true).field("runningKeys", p.runningKeys());
        if (p.runningKeys() == 0) {
            return a.line("paused %s", name);
        }
        return a.field("lastLeaseUntil", OperatorText.iso(p.lastLeaseDeadlineMs())).line(
                "paused %s; %d running key(s) finish their current jobs (no new keys are claimed), last lease until %s",
                name, p.runningKeys(), OperatorText.redisTime(p.lastLeaseDeadlineMs(), queue.redisTimeMs()));
    }
}
