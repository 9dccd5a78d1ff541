package io.seriatim.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.seriatim.core.queue.KeyState;
import io.seriatim.core.queue.KeyedQueue;
import io.seriatim.core.settings.FailurePolicy;
import io.seriatim.core.settings.NamespaceSettings;
import io.seriatim.core.settings.SettingsConflictException;
import io.seriatim.core.settings.StatedSettings;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A worker applies its namespace's stored settings and refuses to start against them. */
class WorkerNamespaceSettingsTest extends WorkerTestSupport {
    static NamespaceSettings.Builder flows() {
        return NamespaceSettings.builder("flows");
    }

    WorkerSettings.Builder settings(StatedSettings namespace) {
        return WorkerSettings.builder(redisSettings(), namespace).leaseTime(Duration.ofSeconds(5))
                .idleWait(Duration.ofMillis(200)).backoff(Backoff.fixed(Duration.ofMillis(20)));
    }

    @Test
    void aWorkerStartedWithoutNamespaceSettingsAppliesTheStoredAttemptLimitAndPolicy() {
        KeyedQueue queue = KeyedQueue.open(redis.client(), flows().maxAttempts(2).failurePolicy(FailurePolicy.PARK).build());
        Ledger ledger = new Ledger();
        start(settings(StatedSettings.adopt("flows")).build(), recording(ledger, "w", (job, ctx) -> {
            throw new IllegalStateException("always");
        }));
        submit(queue, List.of("k"), 2);
        await().atMost(Duration.ofSeconds(20)).until(() -> queue.inspect("k", 0).state() == KeyState.PARKED);
        assertThat(ledger.snapshot().get("k")).extracting(Ledger.Entry::attempt).containsExactly(1, 2);
    }

    @Test
    void aWorkerStartedWithSettingsThatContradictTheStoredOnesIsRefused() {
        KeyedQueue.open(redis.client(), flows().maxAttempts(2).failurePolicy(FailurePolicy.PARK).build());
        assertThatThrownBy(() -> start(settings(StatedSettings.of(flows().failurePolicy(FailurePolicy.SKIP))).build(),
                (job, ctx) -> {}))
                .isInstanceOf(SettingsConflictException.class)
                .hasMessage("namespace 'flows': failurePolicy is PARK in Redis, this process was given SKIP (stored "
                        + "settings change only through 'seriatim namespace update'; leave these out to use them)");
        assertThat(workers).isEmpty();
        start(settings(StatedSettings.of(flows().failurePolicy(FailurePolicy.PARK))).build(), (job, ctx) -> {});
    }

    @Test
    void aWorkerOfANewNamespaceRegistersItWithWhatItStates() {
        start(settings(StatedSettings.of(flows().maxAttempts(7))).build(), (job, ctx) -> {});
        assertThat(KeyedQueue.openExisting(redis.client(), "flows").settings()).isEqualTo(flows().maxAttempts(7).build());
    }
}
