package io.seriatim.core.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A recurring job: at every tick of {@code cron} (Unix crontab, five fields, read in
 * {@code zone}) a job with this payload and headers joins {@code key}'s strand.
 */
public record Schedule(String name, String key, byte[] payload, Map<String, String> headers, String cron, String zone) {
    private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    public Schedule {
        if (name == null || name.isBlank() || name.length() > 200 || name.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("schedule name must be 1-200 characters without control characters, got '"
                    + name + "'");
        }
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(payload, "payload");
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        parse(cron);
        zoneOf(zone);
    }

    /**
     * The ticks after {@code afterMs} up to and including {@code untilMs}, oldest first, at most
     * {@code max} of them (the newest ones when there are more).
     */
    public List<Long> ticksBetween(long afterMs, long untilMs, int max) {
        ExecutionTime execution = ExecutionTime.forCron(parse(cron));
        ZoneId z = zoneOf(zone);
        List<Long> ticks = new ArrayList<>();
        ZonedDateTime t = Instant.ofEpochMilli(afterMs).atZone(z);
        while (true) {
            Optional<ZonedDateTime> next = execution.nextExecution(t);
            if (next.isEmpty() || next.get().toInstant().toEpochMilli() > untilMs) {
                break;
            }
            ticks.add(next.get().toInstant().toEpochMilli());
            if (ticks.size() > max) {
                ticks.removeFirst();
            }
            t = next.get();
        }
        return ticks;
    }

    private static Cron parse(String cron) {
        try {
            return UNIX.parse(cron).validate();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("cron expression '" + cron
                    + "' is not valid Unix crontab (minute hour day-of-month month day-of-week): " + e.getMessage());
        }
    }

    private static ZoneId zoneOf(String zone) {
        try {
            return ZoneId.of(zone);
        } catch (DateTimeException | NullPointerException e) {
            throw new IllegalArgumentException("time zone '" + zone + "' is not an IANA zone id such as Europe/Paris or UTC");
        }
    }
}
