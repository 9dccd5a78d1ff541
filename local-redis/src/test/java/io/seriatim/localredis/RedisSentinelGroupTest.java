package io.seriatim.localredis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** One group for the class; the tests run in order and share it. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisSentinelGroupTest {
    private static RedisSentinelGroup group;

    @BeforeAll
    static void start() {
        group = RedisSentinelGroup.start();
    }

    @AfterAll
    static void stop() {
        group.close();
    }

    @Test
    @Order(1)
    void theSentinelsNameTheFirstServerMaster() {
        assertThat(group.master()).isSameAs(group.servers().get(0));
        assertThat(group.replica()).isSameAs(group.servers().get(1));
        assertThat(group.uri()).startsWith("redis-sentinel://127.0.0.1:").endsWith("/" + RedisSentinelGroup.MASTER_NAME);
    }

    @Test
    @Order(2)
    void aForcedFailoverPromotesTheReplica() {
        RedisServer before = group.master();
        group.failover();
        assertThat(group.master()).isNotSameAs(before);
    }

    @Test
    @Order(3)
    void aKilledMasterIsReplacedAndComesBackAsReplica() {
        RedisServer before = group.master();
        before.kill();
        group.awaitHealthy();
        assertThat(group.master()).isNotSameAs(before);
        group.heal();
        assertThat(group.replica()).isSameAs(before);
    }
}
