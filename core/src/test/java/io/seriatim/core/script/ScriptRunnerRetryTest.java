package io.seriatim.core.script;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/** Which calls of a pipeline {@link ScriptRunner} sends again after NOSCRIPT: never one that a later call of its slot overtook. */
class ScriptRunnerRetryTest {
    private static final Object NOSCRIPT = new JedisNoScriptException("NOSCRIPT No matching script");
    private static final Object RAN = 1L;

    private static ScriptRunner.Call call(String hashTag) {
        byte[] key = ("{" + hashTag + "}:seq").getBytes(UTF_8);
        return new ScriptRunner.Call(Script.RESERVE_IDS, List.of(key), List.of());
    }

    @Test
    void everyCallOfANodeWithoutTheScriptIsSentAgainAndNoOther() {
        List<ScriptRunner.Call> calls = List.of(call("a"), call("b"), call("a"), call("c"));
        assertThat(ScriptRunner.retriable(calls, new Object[] {NOSCRIPT, RAN, NOSCRIPT, RAN})).containsExactly(0, 2);
    }

    @Test
    void aSlotWhoseLaterCallRanAfterItsNoScriptIsNotSentAgain() {
        List<ScriptRunner.Call> calls = List.of(call("a"), call("a"), call("b"));
        assertThat(ScriptRunner.retriable(calls, new Object[] {NOSCRIPT, RAN, NOSCRIPT}))
                .as("sending call 0 again would put it behind call 1 on the same keys").containsExactly(2);
    }

    @Test
    void anyOtherOutcomeAfterTheNoScriptCountsAsMaybeRan() {
        List<ScriptRunner.Call> calls = List.of(call("a"), call("a"));
        assertThat(ScriptRunner.retriable(calls, new Object[] {NOSCRIPT, new JedisDataException("OOM")})).isEmpty();
    }

    @Test
    void aScriptLostInTheMiddleOfAPipelineIsSentAgainForTheCallsAfter() {
        List<ScriptRunner.Call> calls = List.of(call("a"), call("a"), call("a"));
        assertThat(ScriptRunner.retriable(calls, new Object[] {RAN, NOSCRIPT, NOSCRIPT})).containsExactly(1, 2);
    }

    /**
     * Random pipelines over a few slots: what is sent again is, per slot, all of its NOSCRIPT
     * calls or none, and never a call with a call of its slot after it that may have run.
     */
    @Test
    void randomPipelinesNeverResendACallThatALaterOneOvertook() {
        long seed = Long.getLong("seriatim.seed", System.nanoTime());
        System.out.println("ScriptRunnerRetryTest seed=" + seed);
        Random rnd = new Random(seed);
        for (int round = 0; round < 2_000; round++) {
            int n = 1 + rnd.nextInt(12);
            List<ScriptRunner.Call> calls = new ArrayList<>();
            Object[] outcomes = new Object[n];
            for (int i = 0; i < n; i++) {
                calls.add(call("s" + rnd.nextInt(3)));
                outcomes[i] = rnd.nextInt(3) == 0 ? RAN : NOSCRIPT;
            }
            List<Integer> again = ScriptRunner.retriable(calls, outcomes);
            String where = "seed=" + seed + " round=" + round
                    + " keys=" + calls.stream().map(c -> new String(c.keys().getFirst(), UTF_8)).toList()
                    + " outcomes=" + Arrays.stream(outcomes).map(o -> o == RAN ? "ran" : "noscript").toList();
            for (int i = 0; i < n; i++) {
                boolean sameSlotRanLater = false;
                boolean sameSlotResent = false;
                for (int j = 0; j < n; j++) {
                    if (Arrays.equals(calls.get(j).keys().getFirst(), calls.get(i).keys().getFirst())) {
                        sameSlotRanLater |= j > i && outcomes[j] == RAN;
                        sameSlotResent |= again.contains(j);
                    }
                }
                if (again.contains(i)) {
                    assertThat(outcomes[i]).as(where).isSameAs(NOSCRIPT);
                    assertThat(sameSlotRanLater).as("call %d resent behind a later call of its slot; %s", i, where).isFalse();
                } else if (outcomes[i] == NOSCRIPT) {
                    assertThat(sameSlotResent).as("call %d left out while its slot's others are resent; %s", i, where)
                            .isFalse();
                }
            }
        }
    }
}
