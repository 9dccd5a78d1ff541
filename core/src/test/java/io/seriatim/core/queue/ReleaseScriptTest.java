package io.seriatim.core.queue;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReleaseScriptTest extends QueueTestSupport {
    @BeforeEach
    void setUp() {
        open();
    }

    @Test
    void releaseMakesKeyReadyAtOnce() {
        long[] ids = enqueue("a", 2);
        Lease lease = claimOne("w", 1).lease();
        assertThat(queue.release(lease)).isTrue();
        RedisState s = state();
        assertThat(s.ready()).containsOnlyKeys("a");
        assertThat(s.ready().get("a")).isLessThanOrEqualTo((double) queue.redisTimeMs());
        assertThat(s.attempts()).as("a release is not an attempt").isEmpty();
        assertThat(s.queues().get("a")).containsExactly(ids[0], ids[1]);
        assertThat(ids(claimOne("w2", 2).jobs())).containsExactly(ids[0], ids[1]);
    }

    @Test
    void aSecondReleaseIsStaleAndChangesNothing() {
        enqueue("a", 1);
        Lease lease = claimOne("w", 1).lease();
        queue.release(lease);
        assertChangesNothing(() -> assertThat(queue.release(lease)).isFalse());
    }
}
