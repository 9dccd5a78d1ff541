package io.seriatim.core.script;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
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
}
