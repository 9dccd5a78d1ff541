package io.seriatim.tools.faults;

import java.time.Duration;
import java.util.Random;

/** What a scenario does to the rig while the producer runs; returns when the fault phase is over, every process back. */
@FunctionalInterface
interface FaultPlan {
    void inject(Rig rig, FaultLog log, Duration phase, Random random) throws Exception;
}
