package io.seriatim.localredis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

class RedisServerTest {

    @Test
    void startsOnAFreePortAndAnswersPing() {
        try (RedisServer a = RedisServer.start(); RedisServer b = RedisServer.start(); Jedis j = a.jedis(Duration.ofSeconds(2))) {
            assertThat(j.ping()).isEqualTo("PONG");
            assertThat(a.port()).isNotEqualTo(b.port());
        }
    }

    @Test
    void killThenRestartKeepsWhatAofHadWritten() {
        try (RedisServer s = RedisServer.start(List.of("--appendfsync", "always"))) {
            try (Jedis j = s.jedis(Duration.ofSeconds(2))) {
                j.set("kept", "yes");
            }
            long before = s.pid();
            s.kill();
            assertThat(s.isRunning()).isFalse();
            s.restart();
            assertThat(s.pid()).isNotEqualTo(before);
            try (Jedis j = s.jedis(Duration.ofSeconds(2))) {
                assertThat(j.get("kept")).isEqualTo("yes");
            }
        }
    }

    @Test
    void pausedServerAnswersNothingUntilResumed() {
        try (RedisServer s = RedisServer.start()) {
            s.pause();
            // Jedis 8 talks to the server while connecting (HELLO), so the connect itself times out.
            assertThatThrownBy(() -> {
                try (Jedis j = s.jedis(Duration.ofMillis(300))) {
                    j.ping();
                }
            }).hasMessageContaining("timed out");
            s.resume();
            try (Jedis j = s.jedis(Duration.ofSeconds(2))) {
                assertThat(j.ping()).isEqualTo("PONG");
            }
        }
    }

    @Test
    void flushAllTouchesOnlyItsOwnServer() {
        try (RedisServer a = RedisServer.start(); RedisServer b = RedisServer.start();
                Jedis ja = a.jedis(Duration.ofSeconds(2)); Jedis jb = b.jedis(Duration.ofSeconds(2))) {
            ja.set("k", "a");
            jb.set("k", "b");
            a.flushAll();
            assertThat(ja.exists("k")).isFalse();
            assertThat(jb.get("k")).isEqualTo("b");
        }
    }

    @Test
    void closeLeavesNoProcess() {
        RedisServer s = RedisServer.start();
        long pid = s.pid();
        s.close();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }

    @Test
    void embeddedBinaryIsRedis62() {
        String previous = System.getProperty(RedisBinary.PROPERTY);
        System.setProperty(RedisBinary.PROPERTY, "embedded");
        try (RedisServer s = RedisServer.start()) {
            assertThat(s.version()).startsWith("6.2.");
        } finally {
            if (previous == null) {
                System.clearProperty(RedisBinary.PROPERTY);
            } else {
                System.setProperty(RedisBinary.PROPERTY, previous);
            }
        }
    }
}
