package io.seriatim.tools.bench.deploy;

import java.util.List;
import java.util.function.Function;

/**
 * Counters read from Redis' INFO, summed over every node (a cluster's masters): script calls
 * (EVALSHA, EVAL, FCALL and their _RO forms), script loads (SCRIPT LOAD), memory. The bench's
 * own reads (INFO, the counts it polls) run no script.
 */
final class RedisStats {
    private final List<Function<String, String>> infoOfNodes;

    /** @param infoOfNodes each node's INFO of a section */
    RedisStats(List<Function<String, String>> infoOfNodes) {
        this.infoOfNodes = List.copyOf(infoOfNodes);
    }

    long scriptCalls() {
        long sum = 0;
        for (String line : lines("commandstats")) {
            String name = line.contains(":") ? line.substring(0, line.indexOf(':')) : "";
            if (name.matches("cmdstat_(evalsha|eval|fcall)(_ro)?")) {
                sum += calls(line);
            }
        }
        return sum;
    }

    /** SCRIPT LOAD calls ({@code cmdstat_script|load} on Redis 7; all SCRIPT subcommands on 6.2). */
    long scriptLoads() {
        long sum = 0;
        for (String line : lines("commandstats")) {
            if (line.startsWith("cmdstat_script|load:") || line.startsWith("cmdstat_script:")) {
                sum += calls(line);
            }
        }
        return sum;
    }

    long usedMemory() {
        long sum = 0;
        for (String line : lines("memory")) {
            if (line.startsWith("used_memory:")) {
                sum += Long.parseLong(line.substring("used_memory:".length()).strip());
            }
        }
        return sum;
    }

    /** Every node's INFO lines of {@code section}, one after another. */
    private List<String> lines(String section) {
        return infoOfNodes.stream().flatMap(info -> info.apply(section).lines()).toList();
    }

    private static long calls(String line) {
        int at = line.indexOf("calls=") + "calls=".length();
        int end = line.indexOf(',', at);
        return Long.parseLong(line.substring(at, end < 0 ? line.length() : end));
    }
}
