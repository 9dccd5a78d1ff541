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

    @Test
    void theDefaultsAreLoopbackAndBounded() {
        GatewaySettings s = GatewaySettings.builder(REDIS).build();
        assertThat(s.host()).isEqualTo("127.0.0.1");
        assertThat(s.maxBatchJobs()).isEqualTo(10_000);
        assertThat(s.maxInFlightBytes()).isEqualTo(32L << 20);
        assertThat(s.maxPartialFrameBytes()).isEqualTo(256L << 20);
        assertThat(s.idleTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.exposureWarning()).isNull();
    }

    @Test
    void listeningBeyondLoopbackWithoutATokenIsWarnedAbout() {
        assertThat(GatewaySettings.builder(REDIS).host("0.0.0.0").port(7420).build().exposureWarning())
                .startsWith("WARNING: the gateway listens on 0.0.0.0 without an auth token: anyone who can reach port 7420");
        assertThat(GatewaySettings.builder(REDIS).host("0.0.0.0").authToken("t").build().exposureWarning()).isNull();
        assertThat(GatewaySettings.builder(REDIS).host("::1").build().exposureWarning()).isNull();
    }

    @Test
    void budgetsSmallerThanAFrameAreRefusedInOneLine() {
        assertThatThrownBy(() -> GatewaySettings.builder(REDIS).maxInFlightBytes(1 << 20).build())
                .hasMessage("maxInFlightBytes (1048576) must be at least maxFrameBytes (16777216): it must hold one frame"
                        + " of the largest size");
        assertThatThrownBy(() -> GatewaySettings.builder(REDIS).maxFrameBytes(4096).maxPartialFrameBytes(100).build())
                .hasMessage("maxPartialFrameBytes must be in [1024, 1099511627776], got 100");
        assertThatThrownBy(() -> GatewaySettings.builder(REDIS).maxBatchJobs(0))
                .hasMessage("maxBatchJobs must be in [1, 1000000], got 0");
        assertThatThrownBy(() -> GatewaySettings.builder(REDIS).idleTimeout(Duration.ZERO))
                .hasMessage("idleTimeout must be > 0, got PT0S");
    }
}
