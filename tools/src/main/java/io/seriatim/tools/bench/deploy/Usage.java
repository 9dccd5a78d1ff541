package io.seriatim.tools.bench.deploy;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a measured window cost: each process's CPU time and Redis' script calls and loads between
 * two {@link Mark}s. The bench's own process is in the CPU map too (as "bench"): it polls Redis
 * on the same cores.
 */
record Usage(Map<String, Long> cpuMicros, long scriptCalls, long scriptLoads) {
    /** The readings at one moment, taken right before and right after a window. */
    record Mark(Map<String, Long> cpuMicros, long scriptCalls, long scriptLoads) {
        static Mark take(Deployment d, ProcCpu cpu) {
            Map<String, Long> micros = new LinkedHashMap<>();
            d.pids().forEach((name, pid) -> micros.put(name, cpu.micros(pid)));
            micros.put("bench", cpu.micros(ProcessHandle.current().pid()));
            RedisStats stats = d.redisStats();
            return new Mark(micros, stats.scriptCalls(), stats.scriptLoads());
        }
    }

    static Usage between(Mark from, Mark to) {
        Map<String, Long> micros = new LinkedHashMap<>();
        to.cpuMicros().forEach((name, v) -> micros.put(name, v - from.cpuMicros().get(name)));
        return new Usage(micros, to.scriptCalls() - from.scriptCalls(), to.scriptLoads() - from.scriptLoads());
    }
}
