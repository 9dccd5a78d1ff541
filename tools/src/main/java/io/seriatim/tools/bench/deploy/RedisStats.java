package io.seriatim.tools.bench.deploy;

import redis.clients.jedis.UnifiedJedis;

/**
 * Counters read from Redis' INFO: script calls (EVALSHA, EVAL, FCALL and their _RO forms), script
 * loads (SCRIPT LOAD), memory. The bench's own reads (INFO, the counts it polls) run no script.
 */
final class RedisStats {
    private final UnifiedJedis redis;

    RedisStats(UnifiedJedis redis) {
        this.redis = redis;
    }

    long scriptCalls() {
        long sum = 0;
        for (String line : redis.info("commandstats").split("\r?\n")) {
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
        for (String line : redis.info("commandstats").split("\r?\n")) {
            if (line.startsWith("cmdstat_script|load:") || line.startsWith("cmdstat_script:")) {
                sum += calls(line);
            }
        }
        return sum;
    }

    long usedMemory() {
        return field("memory", "used_memory");
    }

    String version() {
        for (String line : redis.info("server").split("\r?\n")) {
            if (line.startsWith("redis_version:")) {
                return line.substring("redis_version:".length()).strip();
            }
        }
        return "?";
    }

    private long field(String section, String name) {
        for (String line : redis.info(section).split("\r?\n")) {
            if (line.startsWith(name + ":")) {
                return Long.parseLong(line.substring(name.length() + 1).strip());
            }
        }
        throw new IllegalStateException("INFO " + section + " has no " + name);
    }

    private static long calls(String line) {
        int at = line.indexOf("calls=") + "calls=".length();
        int end = line.indexOf(',', at);
        return Long.parseLong(line.substring(at, end < 0 ? line.length() : end));
    }
}
