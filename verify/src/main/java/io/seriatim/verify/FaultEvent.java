package io.seriatim.verify;

/**
 * One injected fault, as the fault injector recorded it.
 *
 * @param name      what was done ("kill -9 worker", "SIGSTOP redis", ...)
 * @param target    what it hit
 * @param pid       the process hit (a worker's pid is how its runs are recognised)
 * @param startMono System.nanoTime() when the fault began (same clock as the runs' {@code mono})
 * @param endMono   when it ended: the process resumed or was restarted; equal to the start for a
 *                  crash whose process is replaced by a new one
 */
public record FaultEvent(String name, Target target, long pid, long startMono, long endMono) {
    /** What a fault hits; it decides how recovery is measured. */
    public enum Target { WORKER, REDIS, GATEWAY }
}
