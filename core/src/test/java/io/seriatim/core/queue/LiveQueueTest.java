package io.seriatim.core.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seriatim.core.settings.FailurePolicy;
import io.seriatim.core.settings.NamespaceRegistry;
import io.seriatim.core.settings.NamespaceSettings;
import io.seriatim.core.settings.SettingsConflictException;
import io.seriatim.core.settings.StatedSettings;
import io.seriatim.testkit.RedisExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A running process's queue follows `namespace update` without a restart. */
class LiveQueueTest {
    @RegisterExtension
    static final RedisExtension redis = new RedisExtension();

    static NamespaceSettings.Builder ns() {
        return NamespaceSettings.builder("live");
    }

    @Test
    void anUpdateReachesTheQueueOnceTheRefreshIntervalHasPassed() throws InterruptedException {
        StatedSettings stated = StatedSettings.of(ns().maxAttempts(3));
        LiveQueue live = new LiveQueue(redis.client(), stated, KeyedQueue.open(redis.client(), stated), Duration.ofMillis(50));
        KeyedQueue first = live.get();
        new NamespaceRegistry(redis.client()).update(StatedSettings.of(ns().maxAttempts(6).failurePolicy(FailurePolicy.PARK)));
        assertThat(live.get()).as("within the interval: the queue it had").isSameAs(first);
        Thread.sleep(60);
        assertThat(live.get().settings()).isEqualTo(ns().maxAttempts(6).failurePolicy(FailurePolicy.PARK).build());
    }

    @Test
    void unchangedSettingsKeepTheSameQueue() throws InterruptedException {
        StatedSettings stated = StatedSettings.adopt("live");
        LiveQueue live = new LiveQueue(redis.client(), stated, KeyedQueue.open(redis.client(), stated), Duration.ofMillis(1));
        KeyedQueue first = live.get();
        Thread.sleep(5);
        assertThat(live.get()).isSameAs(first);
    }

    @Test
    void aGatewayNeverCreatesANamespaceAndChecksWhatItStates() {
        assertThatThrownBy(() -> LiveQueue.openExisting(redis.client(), StatedSettings.adopt("live")))
                .isInstanceOf(UnknownNamespaceException.class);
        KeyedQueue.open(redis.client(), ns().maxPayloadBytes(4096).build());
        assertThat(LiveQueue.openExisting(redis.client(), StatedSettings.adopt("live")).get().settings().maxPayloadBytes())
                .isEqualTo(4096);
        assertThatThrownBy(() -> LiveQueue.openExisting(redis.client(), StatedSettings.of(ns().maxPayloadBytes(100))))
                .isInstanceOf(SettingsConflictException.class)
                .hasMessageStartingWith("namespace 'live': maxPayloadBytes is 4096 in Redis, this process was given 100");
    }
}
