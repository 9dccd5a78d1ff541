package io.seriatim.tools.bench.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * CPU time a process has used so far: utime + stime of {@code /proc/<pid>/stat} (all its threads),
 * in microseconds. The kernel counts in clock ticks ({@code getconf CLK_TCK}, 100 on Linux), so a
 * reading is exact to 10 ms: over a window of a few seconds, good to a few percent.
 */
final class ProcCpu {
    private final long microsPerTick;

    private ProcCpu(long ticksPerSecond) {
        this.microsPerTick = 1_000_000 / ticksPerSecond;
    }

    static ProcCpu open() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("getconf CLK_TCK failed: " + out);
            }
            return new ProcCpu(Long.parseLong(out));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run getconf CLK_TCK (the bench reads CPU time from /proc: Linux only)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    long micros(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/" + pid + "/stat (has the process exited?)", e);
        }
        // The command name, field 2, is in parentheses and may hold spaces: count fields after its ')'.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * microsPerTick; // fields 14 and 15
    }
}
