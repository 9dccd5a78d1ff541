package io.seriatim.sweeper;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.codahale.metrics.MetricRegistry;
import io.seriatim.core.queue.Claim;
import io.seriatim.core.queue.EnqueueRequest;
import io.seriatim.core.queue.KeyState;
import io.seriatim.core.queue.KeyedQueue;
import io.seriatim.core.redis.RedisSettings;
import io.seriatim.core.schedule.Schedule;
import io.seriatim.core.schedule.Schedules;
import io.seriatim.core.settings.NamespaceSettings;
import io.seriatim.core.settings.StatedSettings;
import io.seriatim.testkit.RedisExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SweeperTest {
    @RegisterExtension
    static final RedisExtension redis = new RedisExtension();

    final NamespaceSettings ns = NamespaceSettings.builder("sweep").partitions(2).maxAttempts(3).build();
    final List<Sweeper> sweepers = new ArrayList<>();
    final MetricRegistry metrics = new MetricRegistry();

    @AfterEach
    void closeSweepers() {
        sweepers.forEach(Sweeper::close);
    }

    SweeperSettings.Builder settings() {
        return SweeperSettings.builder(RedisSettings.builder(redis.server().uri())
                .socketTimeout(Duration.ofMillis(500)).connectTimeout(Duration.ofMillis(500)).build(), List.of(StatedSettings.all(ns)))
                .interval(Duration.ofMillis(100));
    }

    Sweeper start(SweeperSettings s) {
        Sweeper sweeper = Sweeper.start(s, metrics);
        sweepers.add(sweeper);
        return sweeper;
    }

    KeyedQueue queue() {
        return KeyedQueue.open(redis.client(), ns);
    }

    /** A key whose token was lost (a failover's lost write) is found by the repair pass and runs again. */
    @Test
    void aStrandedKeyIsRepairedLoggedAndCounted() {
        KeyedQueue q = queue();
        for (int i = 0; i < 50; i++) {
            q.enqueue(EnqueueRequest.of("k" + i, "x".getBytes(UTF_8)));
        }
        redis.client().zrem(q.keys().partitionOf("k7").ready(), "k7".getBytes(UTF_8));
        assertThat(q.inspect("k7", 0).problem()).isEqualTo(io.seriatim.core.queue.KeyInspection.Problem.STRANDED);
        start(settings().repairPageKeys(10).build());
        await().atMost(Duration.ofSeconds(10)).until(() -> q.inspect("k7", 0).state() == KeyState.READY);
        assertThat(q.inspect("k7", 0).problem()).isEqualTo(io.seriatim.core.queue.KeyInspection.Problem.NONE);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> metrics.meter("seriatim.namespace.sweep.keys-repaired").getCount() == 1);
        assertThat(q.counts().counters()).containsEntry("repaired", 1L);
    }

    @Test
    void aDeadWorkersKeyIsReadyAgainWithinLeasePlusInterval() {
        KeyedQueue q = queue();
        q.enqueue(EnqueueRequest.of("k", "x".getBytes(UTF_8)));
        start(settings().build());
        Duration lease = Duration.ofMillis(500);
        long claimedAt = System.nanoTime();
        Claim claim = q.claim(q.partitionOf("k"), "dead-worker", 1, lease, 1);
        assertThat(claim.keys()).hasSize(1);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                .until(() -> q.inspect("k", 0).state() == KeyState.READY);
        long tookMs = (System.nanoTime() - claimedAt) / 1_000_000;
        System.out.println("liveness: a dead worker's key was ready again after " + tookMs + " ms (lease 500 ms, interval 100 ms)");
        assertThat(tookMs).isLessThan(500 + 100 + 1000);
        assertThat(q.inspect("k", 0).attempts()).as("the expiry counted as an attempt").isEqualTo(1);
        assertThat(metrics.meter("seriatim.namespace.sweep.expired-leases-swept").getCount()).isEqualTo(1);
    }

    @Test
    void threeSweepersTakeBackEachExpiredLeaseOnce() {
        KeyedQueue q = queue();
        for (int i = 0; i < 300; i++) {
            q.enqueue(EnqueueRequest.of("k" + i, new byte[1]));
        }
        for (int p = 0; p < 2; p++) {
            while (!q.claim(p, "dead", 1000, Duration.ZERO, 1).keys().isEmpty()) {
                // claim everything with an already-expired lease
            }
        }
        for (int i = 0; i < 3; i++) {
            start(settings().sweepLimit(7).build());
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> q.counts().readyKeys() == 300);
        for (int i = 0; i < 300; i++) {
            assertThat(q.inspect("k" + i, 0).attempts()).as("k%d swept once", i).isEqualTo(1);
        }
        assertThat(metrics.meter("seriatim.namespace.sweep.expired-leases-swept").getCount()).isEqualTo(300);
    }

    @Test
    void delayedJobsJoinTheirStrandWhenDue() {
        KeyedQueue q = queue();
        start(settings().build());
        q.enqueueDelayed(EnqueueRequest.of("k", "later".getBytes(UTF_8)), Duration.ofMillis(300));
        assertThat(q.inspect("k", 1).pending()).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> q.inspect("k", 1).pending() == 1);
        assertThat(q.inspect("k", 1).state()).isEqualTo(KeyState.READY);
    }

    @Test
    void missedCronTicksFireOnceEachEvenWithSeveralSweepersAndRestarts() throws Exception {
        KeyedQueue q = queue();
        Schedules schedules = new Schedules(redis.client(), q);
        Schedule s = new Schedule("minutely", "reports", "r".getBytes(UTF_8), Map.of(), "* * * * *", "UTC");
        schedules.put(s);
        // As if the sweepers had been down for 3 minutes and 30 seconds.
        long now = q.redisTimeMs();
        redis.client().hset(q.keys().partitionOf("reports").scheduleTicks(), "minutely".getBytes(UTF_8),
                Long.toString(now - 210_000).getBytes(UTF_8));
        for (int i = 0; i < 3; i++) {
            start(settings().build());
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> q.inspect("reports", 10).pending() >= 3);
        sweepers.forEach(Sweeper::close);
        start(settings().build()).tick(); // a restarted sweeper
        long last = now - 210_000;
        long end = q.redisTimeMs();
        List<Long> expected = new ArrayList<>();
        for (long t = (last / 60_000 + 1) * 60_000; t <= end; t += 60_000) {
            expected.add(t);
        }
        var jobs = q.inspect("reports", 10).head();
        assertThat(jobs).extracting(j -> Long.parseLong(j.headers().get(Schedules.TICK_HEADER)))
                .as("every minute since the last tick, once each, in order").isEqualTo(expected);
    }

    @Test
    void ticksOlderThanTheCatchUpWindowAreSkipped() {
        KeyedQueue q = queue();
        Schedules schedules = new Schedules(redis.client(), q);
        schedules.put(new Schedule("m", "k", new byte[0], Map.of(), "* * * * *", "UTC"));
        long now = q.redisTimeMs();
        redis.client().hset(q.keys().partitionOf("k").scheduleTicks(), "m".getBytes(UTF_8),
                Long.toString(now - 3_600_000).getBytes(UTF_8));
        Sweeper sweeper = Sweeper.start(settings().catchUpWindow(Duration.ofMinutes(5)).interval(Duration.ofHours(1)).build(),
                metrics);
        sweepers.add(sweeper);
        sweeper.tick();
        long fired = q.inspect("k", 0).pending();
        assertThat(fired).isBetween(4L, 5L);
    }

    @Test
    void aSweeperRidesOutRedisBeingDown() {
        KeyedQueue q = queue();
        start(settings().build());
        redis.server().kill();
        redis.server().restart();
        KeyedQueue after = KeyedQueue.open(redis.client(), ns);
        after.enqueue(EnqueueRequest.of("k", new byte[1]));
        after.claim(after.partitionOf("k"), "dead", 1, Duration.ZERO, 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> after.inspect("k", 0).state() == KeyState.READY);
        assertThat(q).isNotNull();
    }

    @Test
    void gaugesReportTheNamespace() {
        KeyedQueue q = queue();
        q.enqueue(EnqueueRequest.of("a", new byte[1], new byte[1]));
        q.enqueue(EnqueueRequest.of("b", new byte[1]));
        q.park("b", "held by the test");
        Sweeper s = start(settings().build());
        s.tick();
        assertThat(metrics.getGauges().get("seriatim.namespace.sweep.pending-jobs").getValue()).isEqualTo(3L);
        assertThat(metrics.getGauges().get("seriatim.namespace.sweep.ready-keys").getValue()).isEqualTo(1L);
        assertThat(metrics.getGauges().get("seriatim.namespace.sweep.parked-keys").getValue()).isEqualTo(1L);
        assertThat(metrics.getGauges().get("seriatim.namespace.sweep.expired-lease-keys").getValue()).isEqualTo(0L);
        assertThat(metrics.getGauges().get("seriatim.namespace.sweep.stuck-keys").getValue()).isEqualTo(1L);
    }

    @Test
    void badSettingsAreRefusedClearly() {
        SweeperSettings.Builder b = settings();
        assertThatThrownBy(() -> b.interval(Duration.ofMillis(-5)))
                .hasMessage("interval must be between 10 ms and 1 h, got PT-0.005S");
        assertThatThrownBy(() -> b.sweepLimit(0)).hasMessage("sweepLimit must be in [1, 1000], got 0");
        assertThatThrownBy(() -> b.catchUpWindow(Duration.ofSeconds(-1))).hasMessage("catchUpWindow must be >= 0, got PT-1S");
        assertThatThrownBy(() -> SweeperSettings.builder(RedisSettings.of("redis://h:1"), List.of()).build())
                .hasMessage("a sweeper needs at least one namespace");
    }
}
