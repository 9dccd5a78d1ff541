package io.seriatim.tools.faults;

import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * One fault scenario.
 *
 * @param name            how it is selected on the command line
 * @param what            one line for the report
 * @param shape           how it changes the base rig (AOF policy, sweepers, worker flags)
 * @param plan            the faults it injects
 * @param lossAllowed     acknowledged jobs may be lost (AOF everysec after a Redis crash): the
 *                        loss is reported, order must still hold
 * @param keysHeld        keys the scenario holds back on purpose (a poison job parks its key), each
 *                        with the first of its jobs that may stay unrun
 * @param bounded         recovery from each fault must be within the rig's recovery bound
 * @param overlapFree     no two runs of one key may overlap in time: no fault of the scenario
 *                        freezes a holder past its lease (SIGSTOP, a cut link, a stalled Redis)
 */
record Scenario(String name, String what, UnaryOperator<RigSettings> shape, FaultPlan plan, boolean lossAllowed,
        Map<String, Long> keysHeld, boolean bounded, boolean overlapFree) {

    /** A scenario whose faults may freeze a holder past its lease: overlaps are reported, not judged. */
    Scenario(String name, String what, UnaryOperator<RigSettings> shape, FaultPlan plan, boolean lossAllowed,
            Map<String, Long> keysHeld, boolean bounded) {
        this(name, what, shape, plan, lossAllowed, keysHeld, bounded, false);
    }
}
