package io.seriatim.cli;

import com.google.gson.JsonObject;
import io.seriatim.core.queue.KeyedQueue;
import io.seriatim.core.queue.QueueCounts;
import java.io.PrintWriter;
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
            JsonObject o = new JsonObject();
            o.addProperty("namespace", queue.settings().name());
            o.addProperty("pendingJobs", c.pendingJobs());
            o.addProperty("readyKeys", c.readyKeys());
            o.addProperty("leasedKeys", c.leasedKeys());
            o.addProperty("parkedKeys", c.parkedKeys());
            o.addProperty("deadJobs", c.deadJobs());
            o.addProperty("oldestReadyAgeMs", c.oldestReadyAgeMs());
            o.addProperty("paused", c.paused());
            JsonObject counters = new JsonObject();
            c.counters().forEach(counters::addProperty);
            o.add("counters", counters);
            out.println(o);
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
