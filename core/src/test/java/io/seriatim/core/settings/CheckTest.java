package io.seriatim.core.settings;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CheckTest {
    @Test
    void rangeTakesBothEndsAndNamesTheSettingTheRangeAndTheValue() {
        assertThatCode(() -> Check.range("concurrency", 1, 1, 100_000)).doesNotThrowAnyException();
        assertThatCode(() -> Check.range("concurrency", 100_000, 1, 100_000)).doesNotThrowAnyException();
        assertThatThrownBy(() -> Check.range("concurrency", 0, 1, 100_000))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("concurrency must be in [1, 100000], got 0");
        assertThatThrownBy(() -> Check.range("port", 65536, 0, 65535)).hasMessage("port must be in [0, 65535], got 65536");
    }

    @Test
    void positiveRefusesNullZeroAndNegativeDurations() {
        assertThatCode(() -> Check.positive("helloTimeout", Duration.ofNanos(1))).doesNotThrowAnyException();
        assertThatThrownBy(() -> Check.positive("helloTimeout", Duration.ZERO)).hasMessage("helloTimeout must be > 0, got PT0S");
        assertThatThrownBy(() -> Check.positive("helloTimeout", Duration.ofSeconds(-1)))
                .hasMessage("helloTimeout must be > 0, got PT-1S");
        assertThatThrownBy(() -> Check.positive("helloTimeout", null)).hasMessage("helloTimeout must be > 0, got null");
    }

    @Test
    void atLeastTakesTheMinimumItselfAndRefusesLessOrNull() {
        assertThatCode(() -> Check.atLeast("leaseTime", Duration.ofMillis(100), Duration.ofMillis(100)))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> Check.atLeast("leaseTime", Duration.ofMillis(99), Duration.ofMillis(100)))
                .hasMessage("leaseTime must be at least PT0.1S, got PT0.099S");
        assertThatThrownBy(() -> Check.atLeast("jobTimeout", null, Duration.ZERO))
                .hasMessage("jobTimeout must be at least PT0S, got null");
    }
}
