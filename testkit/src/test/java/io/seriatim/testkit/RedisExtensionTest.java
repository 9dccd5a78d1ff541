package io.seriatim.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.seriatim.localredis.RedisServer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisExtensionTest {
    @RegisterExtension
    static final RedisExtension redis = new RedisExtension();

    @Test
    @Order(1)
    void aTestThatKillsTheServerAndLeavesData() {
        redis.client().set("left", "behind");
        redis.server().kill();
    }

    @Test
    @Order(2)
    void theNextTestGetsARunningEmptyServer(RedisServer server) {
        assertThat(server.isRunning()).isTrue();
        assertThat(redis.client().exists("left")).isFalse();
        redis.server().pause();
    }

    @Test
    @Order(3)
    void aPausedServerIsResumedForTheNextTest() {
        assertThat(redis.client().ping()).isEqualTo("PONG");
    }
}
