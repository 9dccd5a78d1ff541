package io.seriatim.tools.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The soak's memory record: the resident set of every rig process and Redis's own count of its
 * data, sampled at intervals, and per process the slope of a line fitted through its samples.
 * Used by the soak's one thread.
 */
final class MemorySamples {
    /** One reading of one series: a process (role and pid) or Redis's {@code used_memory}. */
    record Sample(long atMs, String series, long pid, long bytes) {}

    /** A series' fit: bytes at its first and last sample and the slope, over its samples after the warm-up. */
    record Fit(String series, long pid, long minutes, long firstBytes, long lastBytes, double mbPerHour) {
        /** Flat: the fitted line moves less than 10% of the series' size over an hour (or 2 MB). */
        boolean flat() {
            return Math.abs(mbPerHour) <= Math.max(2.0, 0.1 * Math.max(firstBytes, lastBytes) / (1 << 20));
        }
    }

    private final List<Sample> samples = new ArrayList<>();
    private final long startMs = System.currentTimeMillis();

    /** Reads each process's VmRSS and Redis's used_memory now. */
    void sample(Map<String, Process> processes, long redisPid, long redisUsedMemory) {
        long at = System.currentTimeMillis() - startMs;
        processes.forEach((role, p) -> {
            long rss = rss(p.pid());
            if (rss >= 0) {
                samples.add(new Sample(at, role, p.pid(), rss));
            }
        });
        long redisRss = rss(redisPid);
        if (redisRss >= 0) {
            samples.add(new Sample(at, "redis", redisPid, redisRss));
        }
        if (redisUsedMemory >= 0) {
            samples.add(new Sample(at, "redis used_memory", 0, redisUsedMemory));
        }
    }

    /**
     * Per series (a process incarnation, or used_memory over the whole run), the slope through its
     * samples after the first {@code warmUpMs} of that series; series that lived less than
     * {@code minSpanMs} after warm-up are left out (a worker restarted a minute ago has no trend).
     */
    List<Fit> fits(long warmUpMs, long minSpanMs) {
        Map<String, List<Sample>> bySeries = new LinkedHashMap<>();
        for (Sample s : samples) {
            bySeries.computeIfAbsent(s.series() + "\n" + s.pid(), k -> new ArrayList<>()).add(s);
        }
        List<Fit> out = new ArrayList<>();
        for (List<Sample> series : bySeries.values()) {
            long born = series.get(0).atMs();
            List<Sample> warm = series.stream().filter(s -> s.atMs() - born >= warmUpMs).toList();
            if (warm.size() < 3 || warm.get(warm.size() - 1).atMs() - warm.get(0).atMs() < minSpanMs) {
                continue;
            }
            double n = warm.size();
            double mx = warm.stream().mapToDouble(Sample::atMs).sum() / n;
            double my = warm.stream().mapToDouble(Sample::bytes).sum() / n;
            double sxy = 0;
            double sxx = 0;
            for (Sample s : warm) {
                sxy += (s.atMs() - mx) * (s.bytes() - my);
                sxx += (s.atMs() - mx) * (s.atMs() - mx);
            }
            double bytesPerMs = sxx == 0 ? 0 : sxy / sxx;
            Sample first = warm.get(0);
            Sample last = warm.get(warm.size() - 1);
            out.add(new Fit(first.series(), first.pid(), (last.atMs() - first.atMs()) / 60_000, first.bytes(), last.bytes(),
                    bytesPerMs * 3_600_000 / (1 << 20)));
        }
        return out;
    }

    /** Every sample as CSV (ms since start, series, pid, bytes), for a plot. */
    void write(Path file) throws IOException {
        List<String> lines = new ArrayList<>(List.of("ms,series,pid,bytes"));
        samples.forEach(s -> lines.add(s.atMs() + "," + s.series() + "," + s.pid() + "," + s.bytes()));
        Files.write(file, lines);
    }

    /** VmRSS of a live process in bytes, or -1 when it is gone (killed by a fault between the listing and the read). */
    private static long rss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).replace("kB", "").strip()) * 1024;
                }
            }
            return -1;
        } catch (IOException | RuntimeException gone) {
            return -1;
        }
    }
}
