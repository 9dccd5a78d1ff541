package io.seriatim.core.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.seriatim.core.redis.RedisUnavailableException;
import io.seriatim.core.script.ScriptStatus;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Redis at {@code maxmemory} with {@code noeviction}: a submit is refused whole (nothing of it
 * written), and the drain side (claim, ack, renew, fail, release, sweep) keeps working, since
 * draining is what frees the memory. (Redis 7 script flags; on 6.2 renew and ack may be refused,
 * see {@link io.seriatim.core.script.Script}.) The fault suite's maxmemory scenario found this:
 * before the flags, a full Redis refused the workers' renewals, so nothing could drain it.
 */
class OutOfMemoryTest extends QueueTestSupport {
    @BeforeEach
    void setUp() {
        open();
    }

    @AfterEach
    void lift() {
        redis.client().configSet("maxmemory", "0");
    }

    private void full() {
        redis.client().configSet("maxmemory-policy", "noeviction");
        redis.client().configSet("maxmemory", "1"); // below what any server uses: every growing write is refused
    }

    @Test
    void enqueueIsRefusedWholeWithAClearError() {
        enqueue("a", 2);
        full();
        assertChangesNothing(() -> assertThatThrownBy(() -> enqueue("a", 3))
                .isInstanceOf(RedisUnavailableException.class).hasMessageContaining("OOM"));
    }

    @Test
    void claimAckRenewAndReleaseWorkWhenFull() {
        assumeTrue(redis.server().version().compareTo("7") >= 0, "script flags need Redis 7");
        long[] ids = enqueue("a", 3);
        enqueue("b", 1);
        full();
        ClaimedKey a = claimOne("w", 1);
        assertThat(queue.renew(List.of(a.lease()), LONG_LEASE)).as("renewed").hasSize(1);
        assertThat(queue.ack(a.lease(), ids(ids[0]), LONG_LEASE, 1, 0).status()).isEqualTo(ScriptStatus.CONTINUE);
        assertThat(queue.release(a.lease())).isTrue();
        for (ClaimedKey k : queue.claim(0, "w", 2, LONG_LEASE, 3).keys()) {
            assertThat(queue.ack(k.lease(), ids(k.jobs()), LONG_LEASE, 1, 0).status()).isEqualTo(ScriptStatus.RELEASED);
        }
        assertThat(queue.counts().pendingJobs()).isZero();
    }

    @Test
    void failAndSweepWorkWhenFull() {
        assumeTrue(redis.server().version().compareTo("7") >= 0, "script flags need Redis 7");
        long[] ids = enqueue("a", 1);
        full();
        ClaimedKey a = claimOne("w", 1);
        assertThat(queue.fail(a.lease(), ids[0], "boom", true, Duration.ZERO).status()).isNotNull();
        claimExpired("w2");
        assertThat(queue.sweep(0, 100)).isNotNull();
    }
}
