package io.seriatim.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seriatim.core.redis.RedisSettings;
import io.seriatim.core.settings.NamespaceSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WorkerSettingsTest {
    private final WorkerSettings.Builder b = WorkerSettings.builder(RedisSettings.of("redis://127.0.0.1:1"),
            NamespaceSettings.builder("n").build());

    @Test
    void badValuesNameTheSettingTheValueAndTheRange() {
        assertThatThrownBy(() -> b.concurrency(0)).hasMessage("concurrency must be in [1, 100000], got 0");
        assertThatThrownBy(() -> b.batchSize(1001)).hasMessage("batchSize must be in [1, 1000], got 1001");
        assertThatThrownBy(() -> b.keysPerClaim(0)).hasMessage("keysPerClaim must be in [1, 10000], got 0");
        assertThatThrownBy(() -> b.leaseTime(Duration.ofMillis(5))).hasMessage("leaseTime must be at least PT0.1S, got PT0.005S");
        assertThatThrownBy(() -> b.jobTimeout(Duration.ofSeconds(-1))).hasMessage("jobTimeout must be at least PT0S, got PT-1S");
        assertThatThrownBy(() -> b.workerId(" ")).hasMessage("workerId must be 1-200 characters, got ' '");
        assertThatThrownBy(() -> Backoff.exponential(Duration.ofSeconds(2), Duration.ofSeconds(1), 0.1))
                .hasMessage("backoff max must be >= base (PT2S), got PT1S");
        assertThatThrownBy(() -> Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(2), 2))
                .hasMessage("backoff jitter must be in [0, 1], got 2.0");
    }

    @Test
    void renewalMustComeWellBeforeTheLeaseEnds() {
        assertThatThrownBy(() -> b.leaseTime(Duration.ofSeconds(10)).renewInterval(Duration.ofSeconds(6)).build())
                .hasMessage("renewInterval (PT6S) must be at most half of leaseTime (PT10S), or one late renewal loses the lease");
    }

    @Test
    void defaultsAreSound() {
        WorkerSettings s = b.build();
        assertThat(s.renewInterval()).isEqualTo(s.leaseTime().dividedBy(3));
        assertThat(s.jobTimeout()).isZero();
    }

    @Test
    void exponentialBackoffGrowsAndIsCapped() {
        Backoff e = Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(1), 0);
        assertThat(e.delay(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(e.delay(3)).isEqualTo(Duration.ofMillis(400));
        assertThat(e.delay(30)).isEqualTo(Duration.ofSeconds(1));
    }
}
