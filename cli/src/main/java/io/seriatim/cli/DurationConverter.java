package io.seriatim.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads every duration the command takes ({@code --lease}, {@code --interval}, ...): a whole
 * number with a unit ({@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}) or ISO-8601
 * ({@code PT30S}). Registered once, in {@link Seriatim#commandLine}.
 *
 * <p>A bare number is refused rather than read in some default unit: {@code --lease 30} could
 * mean seconds or milliseconds, and guessing wrong by a factor of 1,000 is worse than asking.
 * Only {@code 0} is accepted bare, since it means the same in every unit.
 */
final class DurationConverter implements ITypeConverter<Duration> {
    static final String FORMS = "500ms, 30s, 2m, 1h or ISO-8601 such as PT30S";

    private static final Pattern WITH_UNIT = Pattern.compile("(\\d+)(ms|s|m|h)");

    @Override
    public Duration convert(String value) {
        String v = value.strip();
        if (v.equals("0")) {
            return Duration.ZERO;
        }
        if (v.matches("\\d+")) {
            throw new TypeConversionException("'" + value + "' has no unit; add a unit, e.g. " + v + "s or " + v + "ms (accepted: "
                    + FORMS + ")");
        }
        Matcher m = WITH_UNIT.matcher(v);
        try {
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofHours(n);
                };
            }
            Duration d = Duration.parse(v);
            if (d.isNegative()) { // -5s is refused by the pattern; ISO-8601 can still say PT-5S
                throw new TypeConversionException("'" + value + "' is negative; a duration is 0 or more (accepted: " + FORMS + ")");
            }
            return d;
        } catch (NumberFormatException | ArithmeticException e) {
            throw new TypeConversionException("'" + value + "' is too large (accepted: " + FORMS + ")");
        } catch (DateTimeParseException e) {
            // Neither form: the message below lists both.
        }
        throw new TypeConversionException("'" + value + "' is not a duration (accepted: " + FORMS + ")");
    }
}
