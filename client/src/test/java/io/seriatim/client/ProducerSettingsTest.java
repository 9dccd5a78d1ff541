package io.seriatim.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProducerSettingsTest {
    static ProducerSettings.Builder builder() {
        return ProducerSettings.builder("gateway", 7420, "ns");
    }

    @Test
    void theDefaultsAreTheValuesTheProducerAlwaysHad() {
        ProducerSettings s = builder().build();
        assertThat(s.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.timeoutScanInterval()).isEqualTo(Duration.ofMillis(100));
        assertThat(s.reconnectBackoff()).isEqualTo(Duration.ofMillis(50));
        assertThat(s.reconnectMax()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.closeTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.closeJoin()).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.maxAnswerBytes()).isEqualTo(16 * 1024 * 1024);
        assertThat(s.requestTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void connectTimeout_mustBeWholeMillisecondsThatNettyCanTake() {
        assertThatThrownBy(() -> builder().connectTimeout(Duration.ofNanos(10))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("connectTimeout must be in [1 ms, 2147483647 ms], got PT0.00000001S");
        assertThatThrownBy(() -> builder().connectTimeout(Duration.ofDays(30)))
                .hasMessage("connectTimeout must be in [1 ms, 2147483647 ms], got PT720H");
        assertThatThrownBy(() -> builder().connectTimeout(null))
                .hasMessage("connectTimeout must be in [1 ms, 2147483647 ms], got null");
        assertThat(builder().connectTimeout(Duration.ofMillis(1)).build().connectTimeout()).isEqualTo(Duration.ofMillis(1));
    }

    @Test
    void timeoutScanInterval_mustBeAtLeastAMillisecondAndNoLongerThanRequestTimeout() {
        assertThatThrownBy(() -> builder().timeoutScanInterval(Duration.ZERO))
                .hasMessage("timeoutScanInterval must be at least 1 ms, got PT0S");
        assertThatThrownBy(() -> builder().requestTimeout(Duration.ofSeconds(1)).timeoutScanInterval(Duration.ofSeconds(2)).build())
                .hasMessage("timeoutScanInterval (PT2S) must not be longer than requestTimeout (PT1S)");
    }

    @Test
    void reconnectBackoff_mustBeAtLeastAMillisecondAndNoLongerThanReconnectMax() {
        assertThatThrownBy(() -> builder().reconnectBackoff(Duration.ofMillis(-1)))
                .hasMessage("reconnectBackoff must be at least 1 ms, got PT-0.001S");
        assertThatThrownBy(() -> builder().reconnectBackoff(Duration.ofSeconds(10)).build())
                .hasMessage("reconnectBackoff (PT10S) must not be longer than reconnectMax (PT5S)");
    }

    @Test
    void closeJoin_mustBePositive() {
        assertThatThrownBy(() -> builder().closeJoin(Duration.ZERO)).hasMessage("closeJoin must be > 0, got PT0S");
    }

    @Test
    void maxAnswerBytes_mustHoldAtLeastAKibibyte() {
        assertThatThrownBy(() -> builder().maxAnswerBytes(1023))
                .hasMessage("maxAnswerBytes must be in [1024, 2147483647], got 1023");
        assertThat(builder().maxAnswerBytes(Integer.MAX_VALUE).build().maxAnswerBytes()).isEqualTo(Integer.MAX_VALUE);
    }
}
