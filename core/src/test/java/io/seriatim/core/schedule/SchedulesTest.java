package io.seriatim.core.schedule;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seriatim.core.queue.JobCodec;
import io.seriatim.core.queue.JobIds;
import io.seriatim.core.queue.KeyedQueue;
import io.seriatim.core.queue.NewJob;
import io.seriatim.core.redis.RedisScriptException;
import io.seriatim.core.settings.NamespaceSettings;
import io.seriatim.proto.v1.StoredJob;
import io.seriatim.testkit.RedisExtension;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SchedulesTest {
    @RegisterExtension
    static final RedisExtension redis = new RedisExtension();

    KeyedQueue queue;
    Schedules schedules;

    @BeforeEach
    void setUp() {
        queue = KeyedQueue.open(redis.client(), NamespaceSettings.builder("sched").partitions(2).build());
        schedules = new Schedules(redis.client(), queue);
    }

    static Schedule everyMinute(String name, String key) {
        return new Schedule(name, key, "tick".getBytes(UTF_8), Map.of(), "* * * * *", "UTC");
    }

    @Test
    void aTickFiresExactlyOnceHoweverManyTimesItIsTried() {
        Schedule s = everyMinute("report", "reports");
        schedules.put(s);
        long tick = schedules.list().getFirst().lastTickMs() + 60_000;
        assertThat(schedules.fire(s, tick)).isTrue();
        assertThat(schedules.fire(s, tick)).isFalse();
        assertThat(schedules.fire(s, tick - 60_000)).as("an older tick").isFalse();
        var k = queue.inspect("reports", 5);
        assertThat(k.pending()).isEqualTo(1);
        assertThat(k.head().getFirst().headers()).containsEntry(Schedules.TICK_HEADER, Long.toString(tick))
                .containsEntry(Schedules.NAME_HEADER, "report");
    }

    @Test
    void aTickOfAPartitionWhoseSequenceSpaceIsUsedUpIsRefusedAndNotRecorded() {
        Schedule s = everyMinute("report", "reports");
        schedules.put(s);
        long lastTick = schedules.list().getFirst().lastTickMs();
        String seq = new String(queue.keys().partitionOf("reports").seq(), UTF_8);
        redis.client().set(seq, Long.toString((1L << 43) - 1));
        // The whole text: the same on Redis 6.2 and 7 (see common.lua).
        assertThatThrownBy(() -> schedules.fire(s, lastTick + 60_000)).isInstanceOf(RedisScriptException.class)
                .hasMessage("Redis error while running schedule_fire.lua: the job sequence space of " + seq
                        + " is used up");
        assertThat(schedules.list().getFirst().lastTickMs()).as("the tick is not recorded").isEqualTo(lastTick);
        assertThat(queue.inspect("reports", 5).pending()).isZero();
    }

    @Test
    void aFiredJobStartsWithTheIdAndTimeBytesJavaWritesForEveryOtherJob() throws Exception {
        Schedule s = everyMinute("report", "reports");
        schedules.put(s);
        assertThat(schedules.fire(s, schedules.list().getFirst().lastTickMs() + 60_000)).isTrue();
        var p = queue.keys().partitionOf("reports");
        byte[] stored = redis.client().lindex(p.queue("reports"), 0);
        StoredJob job = StoredJob.parseFrom(stored);
        // A job without payload or headers is its id and time fields alone.
        byte[] prefix = JobCodec.encodeStored(NewJob.of(new byte[0]), job.getId(), job.getSubmittedAtMs());
        assertThat(Arrays.copyOf(stored, prefix.length)).isEqualTo(prefix);
        assertThat(JobIds.partition(job.getId())).isEqualTo(p.partition());
        assertThat(job.getPayload().toStringUtf8()).isEqualTo("tick");
    }

    @Test
    void aNewScheduleStartsFromNowNotFromThePast() {
        long before = queue.redisTimeMs();
        schedules.put(everyMinute("s", "k"));
        assertThat(schedules.list().getFirst().lastTickMs()).isBetween(before, queue.redisTimeMs());
    }

    @Test
    void replacingAScheduleKeepsItsLastTick() {
        Schedule s = everyMinute("s", "k");
        schedules.put(s);
        long tick = schedules.list().getFirst().lastTickMs() + 1;
        schedules.fire(s, tick);
        schedules.put(new Schedule("s", "k", "v2".getBytes(UTF_8), Map.of(), "*/5 * * * *", "UTC"));
        assertThat(schedules.list()).singleElement().satisfies(e -> {
            assertThat(e.lastTickMs()).isEqualTo(tick);
            assertThat(e.schedule().cron()).isEqualTo("*/5 * * * *");
        });
    }

    @Test
    void movingAScheduleToAKeyOfAnotherPartitionKeepsItsLastTick() {
        Schedule s = everyMinute("s", "a");
        schedules.put(s);
        long tick = schedules.list().getFirst().lastTickMs() + 1;
        schedules.fire(s, tick);
        String other = java.util.stream.IntStream.range(0, 100).mapToObj(i -> "k" + i)
                .filter(k -> queue.partitionOf(k) != queue.partitionOf("a")).findFirst().orElseThrow();
        schedules.put(everyMinute("s", other));
        assertThat(schedules.list()).singleElement().satisfies(e -> {
            assertThat(e.schedule().key()).isEqualTo(other);
            assertThat(e.lastTickMs()).isEqualTo(tick);
        });
    }

    @Test
    void aRemovedScheduleNeverFiresAgain() {
        Schedule s = everyMinute("s", "k");
        schedules.put(s);
        assertThat(schedules.remove("s")).isTrue();
        assertThat(schedules.fire(s, Long.MAX_VALUE / 2)).isFalse();
        assertThat(schedules.remove("s")).isFalse();
        assertThat(queue.inspect("k", 1).pending()).isZero();
    }

    @Test
    void ticksAreComputedInTheScheduleTimeZone() {
        Schedule nineAm = new Schedule("s", "k", new byte[0], Map.of(), "0 9 * * *", "Europe/Paris");
        long from = ZonedDateTime.parse("2026-11-23T00:00:00Z").toInstant().toEpochMilli();
        long to = ZonedDateTime.parse("2026-11-25T00:00:00Z").toInstant().toEpochMilli();
        assertThat(nineAm.ticksBetween(from, to, 10)).containsExactly(
                ZonedDateTime.parse("2026-11-23T08:00:00Z").toInstant().toEpochMilli(),
                ZonedDateTime.parse("2026-11-24T08:00:00Z").toInstant().toEpochMilli());
        assertThat(nineAm.ticksBetween(from, to, 1)).as("only the newest within the cap").hasSize(1);
    }

    @Test
    void badCronOrZoneIsRefusedClearly() {
        assertThatThrownBy(() -> new Schedule("s", "k", new byte[0], Map.of(), "every minute", "UTC"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cron expression 'every minute' is not valid Unix crontab");
        assertThatThrownBy(() -> new Schedule("s", "k", new byte[0], Map.of(), "* * * * *", "Mars/Olympus"))
                .hasMessage("time zone 'Mars/Olympus' is not an IANA zone id such as Europe/Paris or UTC");
        assertThatThrownBy(() -> schedules.put(new Schedule("s", "", new byte[0], Map.of(), "* * * * *", "UTC")))
                .hasMessage("key must not be empty");
        assertThat(schedules.list()).isEmpty();
    }
}
