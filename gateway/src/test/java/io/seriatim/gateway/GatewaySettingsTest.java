package io.seriatim.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seriatim.core.redis.RedisSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class GatewaySettingsTest {
    private static final RedisSettings REDIS = RedisSettings.builder("redis://127.0.0.1:6379")
            .socketTimeout(Duration.ofSeconds(2)).build();

    /** A WAIT that outlasts its socket would fail as a socket timeout, not answer how many replicas confirmed. */
    @Test
    void aWaitTimeoutThatTheSocketWouldCutShortIsRefusedNamingBothFlags() {
        assertThatThrownBy(() -> GatewaySettings.builder(REDIS).waitReplicas(1, Duration.ofSeconds(2)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("waitTimeout (--wait-timeout, 2000 ms) must be at least 500 ms shorter than the Redis socket"
                        + " timeout (--redis-timeout, 2000 ms): a WAIT that outlasts its socket fails as Redis unavailable"
                        + " instead of answering how many replicas confirmed");
        assertThat(GatewaySettings.builder(REDIS).waitReplicas(1, Duration.ofMillis(1500)).build().waitTimeout())
                .isEqualTo(Duration.ofMillis(1500));
        assertThat(GatewaySettings.builder(REDIS).waitReplicas(0, Duration.ofSeconds(5)).build().waitReplicas())
                .as("without WAIT the timeout is not used").isZero();
    }
}
