package io.seriatim.tools.bench.deploy;

import java.util.Map;

/**
 * One line of the deployment table, from one run or the medians of several.
 *
 * @param scenario   the scenario's title, with the phase measured ("submit only", "drain") if it has several
 * @param phase      "fresh" (the first run in newly started processes) or "warm" (the second, new keys)
 * @param figures    named numbers; {@link DeploymentBench} knows the names
 * @param correct    order and loss checked on every key, nothing wrong
 * @param verdict    what the check found, or why the run failed
 * @param parameters the command-line parameters of the processes and the client's run
 */
record Row(String scenario, String phase, Map<String, Double> figures, boolean correct, String verdict, String parameters) {
}
