package io.seriatim.verify;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How long the system took to recover from each fault, from the histories alone.
 *
 * <ul>
 *   <li>a worker fault: for each key the worker ran last before the fault, the time from the
 *       fault's start to the key's next run by another process (or by the same one after it
 *       resumed). A lease taken over must be so within lease + sweep interval;</li>
 *   <li>a Redis fault: from the fault's end (Redis back) to the first run after it;</li>
 *   <li>a gateway fault: from the fault's end (gateway restarted) to the first acknowledged
 *       submit after it.</li>
 * </ul>
 * Keys that never ran again (nothing left to run) are not counted.
 */
public final class RecoveryTimes {
    private RecoveryTimes() {}

    /** The longest recovery of each fault, in milliseconds; -1 where nothing ran again. */
    public static List<Long> perFault(List<FaultEvent> faults, List<Submitted> submitted, List<Run> runs) {
        List<Run> ordered = new ArrayList<>(runs);
        ordered.sort(Comparator.comparingLong(Run::monoNanos));
        List<Long> out = new ArrayList<>();
        for (FaultEvent f : faults) {
            out.add(switch (f.target()) {
                case WORKER -> takeover(f, ordered);
                case REDIS -> firstAfter(f.endMono(), ordered.stream().map(Run::monoNanos).toList());
                case GATEWAY -> firstAfter(f.endMono(), submitted.stream().filter(Submitted::acked)
                        .map(Submitted::monoNanos).filter(m -> m >= 0).sorted().toList());
            });
        }
        return out;
    }

    private static long takeover(FaultEvent f, List<Run> ordered) {
        Map<String, Long> lastRunnerBefore = new HashMap<>();
        for (Run r : ordered) {
            if (r.monoNanos() >= f.startMono()) {
                break;
            }
            lastRunnerBefore.put(r.key(), r.pid());
        }
        Set<String> victims = new HashSet<>();
        lastRunnerBefore.forEach((key, pid) -> {
            if (pid == f.pid()) {
                victims.add(key);
            }
        });
        long longest = -1;
        for (Run r : ordered) {
            if (victims.isEmpty()) {
                break;
            }
            boolean resumedElsewhere = r.pid() != f.pid() || r.monoNanos() > f.endMono();
            if (r.monoNanos() >= f.startMono() && resumedElsewhere && victims.remove(r.key())) {
                longest = Math.max(longest, (r.monoNanos() - f.startMono()) / 1_000_000);
            }
        }
        return longest;
    }

    private static long firstAfter(long mono, List<Long> times) {
        for (long t : times) {
            if (t >= mono) {
                return (t - mono) / 1_000_000;
            }
        }
        return -1;
    }
}
