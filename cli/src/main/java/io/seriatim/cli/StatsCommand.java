package io.seriatim.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.seriatim.core.queue.KeyedQueue;
import io.seriatim.core.queue.MasterSpread;
import io.seriatim.core.queue.PartitionCounts;
import io.seriatim.core.queue.QueueCounts;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "stats", mixinStandardHelpOptions = true,
        description = {"Show a namespace's gauges and counters.",
            "On a Redis Cluster also each master's share: partitions, ready, leased and parked keys, pending jobs, "
                    + "and a warning when the partitions fall unevenly over the masters."})
final class StatsCommand extends OperatorCommand {
    @Option(names = "--json", description = "one JSON object instead of text")
    boolean json;

    @Override
    int run(KeyedQueue queue, PrintWriter out) {
        List<PartitionCounts> partitions = queue.partitionCounts();
        QueueCounts c = QueueCounts.sum(partitions);
        Optional<MasterSpread> spread = queue.spread();
        if (json) {
            out.println(json(queue, c, partitions, spread));
            return ExitCode.OK;
        }
        out.printf("namespace        %s%s%n", queue.settings().name(), c.paused() ? "  (PAUSED)" : "");
        out.printf("pending jobs     %d%n", c.pendingJobs());
        out.printf("ready keys       %d  (oldest waiting %d ms)%n", c.readyKeys(), c.oldestReadyAgeMs());
        out.printf("leased keys      %d%n", c.leasedKeys());
        out.printf("parked keys      %d%n", c.parkedKeys());
        out.printf("dead jobs        %d%n", c.deadJobs());
        c.counters().forEach((k, v) -> out.printf("%-16s %d%n", k, v));
        damage(partitions).forEach(w -> out.printf("WARNING          %s%n", w));
        spread.ifPresent(s -> masters(s, partitions, out));
        return ExitCode.OK;
    }

    /**
     * What the counts alone show to be broken: pending jobs in a partition with no key ready,
     * leased or parked means every key with jobs there is stranded. (A single stranded key among
     * busy ones does not show in counts: the sweeper's repair pass finds it, and inspect names it.)
     */
    static List<String> damage(List<PartitionCounts> partitions) {
        return partitions.stream()
                .filter(p -> p.pendingJobs() > 0 && p.readyKeys() + p.leasedKeys() + p.parkedKeys() == 0)
                .map(p -> "STRANDED: partition " + p.partition() + " has " + p.pendingJobs() + " pending job(s) but no key"
                        + " ready, leased or parked; the sweeper repairs it (counter 'repaired')")
                .toList();
    }

    private static void masters(MasterSpread spread, List<PartitionCounts> partitions, PrintWriter out) {
        out.printf("masters          %d, %d partitions %s%n", spread.shares().size(), spread.partitions(),
                spread.even() ? "spread evenly" : "spread UNEVENLY");
        out.printf("  %-24s %10s %10s %11s %11s %12s%n", "master", "partitions", "ready keys", "leased keys",
                "parked keys", "pending jobs");
        for (MasterSpread.Load l : spread.load(partitions)) {
            out.printf("  %-24s %10d %10d %11d %11d %12d%n", l.address(), l.partitions(), l.readyKeys(), l.leasedKeys(),
                    l.parkedKeys(), l.pendingJobs());
        }
        spread.warning().ifPresent(w -> out.printf("warning          %s%n", w));
    }

    private static JsonObject json(KeyedQueue queue, QueueCounts c, List<PartitionCounts> partitions,
            Optional<MasterSpread> spread) {
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
        JsonArray warnings = new JsonArray();
        damage(partitions).forEach(warnings::add);
        o.add("warnings", warnings);
        spread.ifPresent(s -> {
            JsonArray masters = new JsonArray();
            List<MasterSpread.Load> load = s.load(partitions);
            for (int i = 0; i < load.size(); i++) {
                MasterSpread.Load l = load.get(i);
                JsonObject m = new JsonObject();
                m.addProperty("address", l.address());
                m.addProperty("partitions", l.partitions());
                JsonArray ids = new JsonArray();
                JsonArray slots = new JsonArray();
                for (int p : s.shares().get(i).partitions()) {
                    ids.add(p);
                    slots.add(queue.keys().partition(p).slot());
                }
                m.add("partitionIds", ids);
                m.add("partitionSlots", slots);
                m.addProperty("readyKeys", l.readyKeys());
                m.addProperty("leasedKeys", l.leasedKeys());
                m.addProperty("parkedKeys", l.parkedKeys());
                m.addProperty("pendingJobs", l.pendingJobs());
                masters.add(m);
            }
            o.add("masters", masters);
            o.addProperty("spreadEvenly", s.even());
            s.warning().ifPresent(w -> o.addProperty("spreadWarning", w));
        });
        return o;
    }
}
