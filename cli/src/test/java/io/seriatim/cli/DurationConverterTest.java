package io.seriatim.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {
    final DurationConverter converter = new DurationConverter();

    @Test
    void aWholeNumberWithAUnitIsRead() {
        assertThat(converter.convert("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(converter.convert("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(converter.convert("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(converter.convert("1h")).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void iso8601IsRead() {
        assertThat(converter.convert("PT30S")).isEqualTo(Duration.ofSeconds(30));
        assertThat(converter.convert("pt0.5s")).isEqualTo(Duration.ofMillis(500));
        assertThat(converter.convert("PT1M30S")).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void zeroNeedsNoUnit() {
        assertThat(converter.convert("0")).isEqualTo(Duration.ZERO);
    }

    @Test
    void aBareNumberIsRefusedWithTheUnitsToAdd() {
        assertThatThrownBy(() -> converter.convert("30")).isInstanceOf(TypeConversionException.class)
                .hasMessage("'30' has no unit; add a unit, e.g. 30s or 30ms (accepted: 500ms, 30s, 2m, 1h or ISO-8601 such as PT30S)");
    }

    @Test
    void anythingElseIsRefusedWithTheAcceptedForms() {
        for (String bad : new String[] {"", "s", "1.5s", "30 s", "2x", "1d", "30S", "PT", "-5s", "-5"}) {
            assertThatThrownBy(() -> converter.convert(bad)).as(bad).isInstanceOf(TypeConversionException.class)
                    .hasMessage("'" + bad + "' is not a duration (accepted: 500ms, 30s, 2m, 1h or ISO-8601 such as PT30S)");
        }
    }

    @Test
    void aNegativeIso8601DurationIsRefused() {
        assertThatThrownBy(() -> converter.convert("PT-5S")).isInstanceOf(TypeConversionException.class)
                .hasMessage("'PT-5S' is negative; a duration is 0 or more (accepted: 500ms, 30s, 2m, 1h or ISO-8601 such as PT30S)");
    }

    @Test
    void aNumberTooLargeForADurationIsRefused() {
        assertThatThrownBy(() -> converter.convert("99999999999999999999h")).hasMessageStartingWith("'99999999999999999999h' is too large");
        assertThatThrownBy(() -> converter.convert("9999999999999999h")).hasMessageStartingWith("'9999999999999999h' is too large");
    }
}
