package io.seriatim.sweeper;

import static io.seriatim.core.settings.Check.range;

import io.seriatim.core.redis.RedisSettings;
import io.seriatim.core.settings.StatedSettings;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Settings of a scheduler-sweeper process, immutable and checked: each setter rejects a bad value
 * naming the setting, the value and the range.
 *
 * @param namespaces      the namespaces it serves, with any of their settings this sweeper states:
 *                        those must match the stored ones. The sweep applies each namespace's
 *                        stored attempt limit and failure policy ({@link StatedSettings})
 * @param interval        time between two ticks; default 1 s. A dead worker's keys run again
 *                        within lease time + interval
 * @param sweepLimit      expired leases handled per script call (bounds how long Redis is busy);
 *                        default 1000. A tick calls again while there is more, up to maxCallsPerTick
 * @param maxCallsPerTick most sweep or promote calls per partition per tick; default 100
 * @param catchUpWindow   how far back missed cron ticks are still fired after a pause or restart;
 *                        default 1 h; 0 = fire only the latest missed tick
 * @param repairPageKeys  names each page of the repair pass scans (SCAN / ZSCAN / HSCAN COUNT),
 *                        checked in one script call; default 1000 (1 .. 10,000)
 * @param repairPagesPerTick pages of the repair pass per partition per tick; default 4; 0 = no
 *                        repair pass. A pass over a partition of K keys takes about 2K /
 *                        (repairPageKeys x repairPagesPerTick) ticks (docs/sweeper.md)
 */
public record SweeperSettings(RedisSettings redis, List<StatedSettings> namespaces, Duration interval,
        int sweepLimit, int maxCallsPerTick, Duration catchUpWindow, int repairPageKeys, int repairPagesPerTick) {

    public SweeperSettings {
        Objects.requireNonNull(redis, "redis");
        namespaces = List.copyOf(namespaces);
        if (namespaces.isEmpty()) {
            throw new IllegalArgumentException("a sweeper needs at least one namespace");
        }
        checkInterval(interval);
        range("sweepLimit", sweepLimit, 1, 1000);
        range("maxCallsPerTick", maxCallsPerTick, 1, 100_000);
        range("repairPageKeys", repairPageKeys, 1, 10_000);
        range("repairPagesPerTick", repairPagesPerTick, 0, 10_000);
        if (catchUpWindow == null || catchUpWindow.isNegative()) {
            throw new IllegalArgumentException("catchUpWindow must be >= 0, got " + catchUpWindow);
        }
    }

    public static Builder builder(RedisSettings redis, List<StatedSettings> namespaces) {
        return new Builder(redis, namespaces);
    }

    private static void checkInterval(Duration interval) {
        if (interval == null || interval.toMillis() < 10 || interval.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("interval must be between 10 ms and 1 h, got " + interval);
        }
    }

    /** Builds {@link SweeperSettings}. */
    public static final class Builder {
        private final RedisSettings redis;
        private final List<StatedSettings> namespaces;
        private Duration interval = Duration.ofSeconds(1);
        private int sweepLimit = 1000;
        private int maxCallsPerTick = 100;
        private int repairPageKeys = 1000;
        private int repairPagesPerTick = 4;
        private Duration catchUpWindow = Duration.ofHours(1);

        private Builder(RedisSettings redis, List<StatedSettings> namespaces) {
            this.redis = Objects.requireNonNull(redis, "redis");
            this.namespaces = List.copyOf(namespaces);
        }

        public Builder interval(Duration interval) {
            checkInterval(interval);
            this.interval = interval;
            return this;
        }

        public Builder sweepLimit(int sweepLimit) {
            range("sweepLimit", sweepLimit, 1, 1000);
            this.sweepLimit = sweepLimit;
            return this;
        }

        public Builder maxCallsPerTick(int maxCallsPerTick) {
            range("maxCallsPerTick", maxCallsPerTick, 1, 100_000);
            this.maxCallsPerTick = maxCallsPerTick;
            return this;
        }

        /** Names scanned per page of the repair pass, 1 .. 10,000. */
        public Builder repairPageKeys(int repairPageKeys) {
            range("repairPageKeys", repairPageKeys, 1, 10_000);
            this.repairPageKeys = repairPageKeys;
            return this;
        }

        /** Pages of the repair pass per partition per tick; 0 switches the pass off. */
        public Builder repairPagesPerTick(int repairPagesPerTick) {
            range("repairPagesPerTick", repairPagesPerTick, 0, 10_000);
            this.repairPagesPerTick = repairPagesPerTick;
            return this;
        }

        public Builder catchUpWindow(Duration catchUpWindow) {
            if (catchUpWindow == null || catchUpWindow.isNegative()) {
                throw new IllegalArgumentException("catchUpWindow must be >= 0, got " + catchUpWindow);
            }
            this.catchUpWindow = catchUpWindow;
            return this;
        }

        public SweeperSettings build() {
            return new SweeperSettings(redis, namespaces, interval, sweepLimit, maxCallsPerTick, catchUpWindow,
                    repairPageKeys, repairPagesPerTick);
        }
    }
}
