package io.seriatim.tools.faults;

import io.seriatim.verify.FaultEvent;
import java.util.ArrayList;
import java.util.List;

/** The faults a plan injected, for the recovery figures. Written by the plan's thread and by process-exit callbacks. */
final class FaultLog {
    private final List<FaultEvent> events = new ArrayList<>();
    private int injected;

    /** A fault the recovery is measured from. */
    synchronized void record(String name, FaultEvent.Target target, long pid, long startMono, long endMono) {
        events.add(new FaultEvent(name, target, pid, startMono, endMono));
        injected++;
    }

    /** A fault without a recovery to measure (a duty cycle of stops, a memory limit). */
    synchronized void countOnly() {
        injected++;
    }

    synchronized List<FaultEvent> events() {
        return List.copyOf(events);
    }

    synchronized int injected() {
        return injected;
    }
}
