package io.seriatim.core.redis;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seriatim.core.queue.KeyedQueue;
import io.seriatim.core.settings.NamespaceSettings;
import io.seriatim.testkit.RedisExtension;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.exceptions.JedisBusyException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

class RedisErrorsTest {
    @RegisterExtension
    static final RedisExtension redis = new RedisExtension();

    private static RedisException fromCall(String during, JedisException e) {
        try {
            RedisErrors.call(during, () -> {
                throw e;
            });
        } catch (RedisException translated) {
            return translated;
        }
        throw new AssertionError("not thrown");
    }

    @Test
    void noAnswerIsUnavailableAndKeepsJedisAsTheCause() {
        JedisConnectionException timeout = new JedisConnectionException(new SocketTimeoutException("Read timed out"));
        RedisException e = fromCall("reading the Redis clock", timeout);
        assertThat(e).isExactlyInstanceOf(RedisUnavailableException.class).hasCause(timeout)
                .hasMessage("Redis unavailable while reading the Redis clock: java.net.SocketTimeoutException: Read timed out");
        assertThat(fromCall("x", new JedisException("Could not get a resource from the pool")))
                .isExactlyInstanceOf(RedisUnavailableException.class);
    }

    @Test
    void answersThatMeanNotNowAreUnavailable() {
        for (String answer : new String[] {"OOM command not allowed when used memory > 'maxmemory'.",
                "LOADING Redis is loading the dataset in memory", "READONLY You can't write against a read only replica.",
                "MASTERDOWN Link with MASTER is down", "TRYAGAIN Multiple keys request during rehashing of slot",
                "CLUSTERDOWN The cluster is down", "NOSCRIPT No matching script."}) {
            assertThat(RedisErrors.ofScript("ack.lua", new JedisDataException(answer)))
                    .as(answer).isExactlyInstanceOf(RedisUnavailableException.class)
                    .hasMessage("Redis unavailable while running ack.lua: " + answer);
        }
        assertThat(RedisErrors.ofScript("ack.lua", new JedisBusyException("BUSY Redis is busy running a script.")))
                .isExactlyInstanceOf(RedisUnavailableException.class);
    }

    @Test
    void aScriptsOwnErrorReadsWithoutRedisNoise() {
        JedisDataException refused = new JedisDataException("ERR the job sequence space of {ns:0}:seq is used up script: "
                + "2cf2a8379a17c7366dcd17192e1e29ecc95cea71, on @user_script:46.");
        assertThat(RedisErrors.ofScript("reserve_ids.lua", refused)).isExactlyInstanceOf(RedisScriptException.class)
                .hasCause(refused)
                .hasMessage("Redis error while running reserve_ids.lua: the job sequence space of {ns:0}:seq is used up");
    }

    @Test
    void aCommandsErrorInsideAScriptReadsTheSameOnRedis62() {
        String sha = "4c6401c66f4fe6a92e9509c98e2ae7519f45e385";
        assertThat(RedisErrors.ofScript("reserve_ids.lua", new JedisDataException("ERR Error running script (call to f_" + sha
                + "): @user_script:78: @user_script: 78: -OOM command not allowed when used memory > 'maxmemory'.")))
                .isExactlyInstanceOf(RedisUnavailableException.class)
                .hasMessage("Redis unavailable while running reserve_ids.lua: OOM command not allowed when used memory"
                        + " > 'maxmemory'.");
        assertThat(RedisErrors.ofScript("dlq_purge.lua", new JedisDataException("ERR Error running script (call to f_" + sha
                + "): @user_script:16: WRONGTYPE Operation against a key holding the wrong kind of value")))
                .isExactlyInstanceOf(RedisScriptException.class)
                .hasMessage("Redis error while running dlq_purge.lua: WRONGTYPE Operation against a key holding the"
                        + " wrong kind of value");
    }

    @Test
    void anyOtherErrorOfAPlainCommandIsARedisException() {
        assertThat(fromCall("reading x", new JedisDataException("WRONGTYPE Operation against a key holding the wrong kind of value")))
                .isExactlyInstanceOf(RedisException.class)
                .hasMessage("Redis error while reading x: WRONGTYPE Operation against a key holding the wrong kind of value");
    }

    @Test
    void noJedisExceptionEscapesAQueue() {
        KeyedQueue q = KeyedQueue.open(redis.client(), NamespaceSettings.builder("errors").build());
        byte[] dlq = q.keys().partition(0).dlq();
        redis.client().set(dlq, "not a stream".getBytes(UTF_8)); // someone else's data under our name
        assertThatThrownBy(() -> q.deadJobs(0, null, 10)).isExactlyInstanceOf(RedisException.class)
                .hasMessageStartingWith("Redis error while reading the dead letters in " + q.keys().partition(0).prefix()
                        + "dlq: WRONGTYPE");
        assertThatThrownBy(() -> q.purgeDead(null, 10)).isExactlyInstanceOf(RedisScriptException.class)
                .hasMessageStartingWith("Redis error while running dlq_purge.lua: WRONGTYPE");
        assertThatThrownBy(q::counts).isExactlyInstanceOf(RedisException.class)
                .hasMessageStartingWith("Redis error while reading the counts of namespace 'errors': WRONGTYPE");
    }
}
