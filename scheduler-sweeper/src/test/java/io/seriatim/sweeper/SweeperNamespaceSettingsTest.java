package io.seriatim.sweeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.MetricRegistry;
import io.seriatim.core.queue.EnqueueRequest;
import io.seriatim.core.queue.KeyState;
import io.seriatim.core.queue.KeyedQueue;
import io.seriatim.core.redis.RedisSettings;
import io.seriatim.core.settings.FailurePolicy;
import io.seriatim.core.settings.NamespaceSettings;
import io.seriatim.core.settings.SettingsConflictException;
import io.seriatim.core.settings.StatedSettings;
import io.seriatim.testkit.RedisExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The sweeper applies each namespace's stored attempt limit and policy, and refuses to start against them. */
class SweeperNamespaceSettingsTest {
    @RegisterExtension
    static final RedisExtension redis = new RedisExtension();

    final List<Sweeper> sweepers = new ArrayList<>();

    @AfterEach
    void closeSweepers() {
        sweepers.forEach(Sweeper::close);
    }

    Sweeper start(List<StatedSettings> namespaces) {
        Sweeper s = Sweeper.start(SweeperSettings.builder(RedisSettings.of(redis.server().uri()), namespaces)
                .interval(Duration.ofHours(1)).build(), new MetricRegistry());
        sweepers.add(s);
        return s;
    }

    /** A namespace with one key whose lease has already expired on its first attempt. */
    static KeyedQueue withAnExpiredLease(NamespaceSettings settings) {
        KeyedQueue q = KeyedQueue.open(redis.client(), settings);
        q.enqueue(EnqueueRequest.of("k", new byte[1], new byte[1]));
        assertThat(q.claim(0, "dead", 1, Duration.ZERO, 1).keys()).hasSize(1);
        return q;
    }

    @Test
    void eachNamespaceIsSweptWithItsOwnStoredAttemptLimitAndPolicy() {
        KeyedQueue skip = withAnExpiredLease(NamespaceSettings.builder("skip").maxAttempts(1).build());
        KeyedQueue park = withAnExpiredLease(NamespaceSettings.builder("park").maxAttempts(1)
                .failurePolicy(FailurePolicy.PARK).build());
        KeyedQueue retry = withAnExpiredLease(NamespaceSettings.builder("retry").maxAttempts(2)
                .failurePolicy(FailurePolicy.PARK).build());
        start(List.of(StatedSettings.adopt("skip"), StatedSettings.adopt("park"), StatedSettings.adopt("retry"))).tick();
        assertThat(skip.counts().deadJobs()).as("out of attempts, SKIP: dead-lettered").isEqualTo(1);
        assertThat(skip.inspect("k", 0).state()).isEqualTo(KeyState.READY);
        assertThat(park.inspect("k", 0).state()).as("out of attempts, PARK").isEqualTo(KeyState.PARKED);
        assertThat(retry.inspect("k", 0).state()).as("an attempt left").isEqualTo(KeyState.READY);
        assertThat(retry.inspect("k", 0).attempts()).isEqualTo(1);
    }

    @Test
    void aSweeperStartedWithSettingsThatContradictTheStoredOnesIsRefused() {
        KeyedQueue.open(redis.client(), NamespaceSettings.builder("park").failurePolicy(FailurePolicy.PARK).build());
        assertThatThrownBy(() -> start(List.of(StatedSettings.of(NamespaceSettings.builder("park").maxAttempts(2)))))
                .isInstanceOf(SettingsConflictException.class)
                .hasMessage("namespace 'park': maxAttempts is 5 in Redis, this process was given 2 (stored settings "
                        + "change only through 'seriatim namespace update'; leave these out to use them)");
        assertThat(sweepers).isEmpty();
        start(List.of(StatedSettings.of(NamespaceSettings.builder("park").maxAttempts(5))));
    }
}
