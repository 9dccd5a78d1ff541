package io.seriatim.cli;

import io.seriatim.core.queue.KeyedQueue;
import io.seriatim.core.queue.QueueCounts;
import java.io.PrintWriter;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "stats", mixinStandardHelpOptions = true,
        description = "Show a namespace's gauges and counters.")
final class StatsCommand extends OperatorCommand {
    @Option(names = "--json", description = "one JSON object instead of text")
    boolean json;

    @Override
    int run(KeyedQueue queue, PrintWriter out) {
        QueueCounts c = queue.counts();
        if (json) {
            String counters = c.counters().entrySet().stream()
                    .map(e -> Json.str(e.getKey()) + ":" + e.getValue())
                    .collect(Collectors.joining(",", "{", "}"));
            out.println("{\"namespace\":" + Json.str(queue.settings().name())
                    + ",\"pendingJobs\":" + c.pendingJobs() + ",\"readyKeys\":" + c.readyKeys()
                    + ",\"leasedKeys\":" + c.leasedKeys() + ",\"parkedKeys\":" + c.parkedKeys()
                    + ",\"deadJobs\":" + c.deadJobs() + ",\"oldestReadyAgeMs\":" + c.oldestReadyAgeMs()
                    + ",\"paused\":" + c.paused() + ",\"counters\":" + counters + "}");
            return ExitCode.OK;
        }
        out.printf("namespace        %s%s%n", queue.settings().name(), c.paused() ? "  (PAUSED)" : "");
        out.printf("pending jobs     %d%n", c.pendingJobs());
        out.printf("ready keys       %d  (oldest waiting %d ms)%n", c.readyKeys(), c.oldestReadyAgeMs());
        out.printf("leased keys      %d%n", c.leasedKeys());
        out.printf("parked keys      %d%n", c.parkedKeys());
        out.printf("dead jobs        %d%n", c.deadJobs());
        c.counters().forEach((k, v) -> out.printf("%-16s %d%n", k, v));
        return ExitCode.OK;
    }
}
