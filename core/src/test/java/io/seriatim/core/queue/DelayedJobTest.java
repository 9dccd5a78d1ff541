package io.seriatim.core.queue;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DelayedJobTest extends QueueTestSupport {
    @BeforeEach
    void setUp() {
        open();
    }

    @Test
    void aDelayedJobIsNotPendingUntilItIsDue() {
        queue.enqueueDelayed(EnqueueRequest.of("k", "later".getBytes(UTF_8)), Duration.ofHours(1));
        RedisState s = queue.check("after delayed enqueue");
        assertThat(s.queues()).isEmpty();
        assertThat(s.ready()).isEmpty();
        assertThat(queue.promoteDue(0, 100).jobs()).isZero();
        assertThat(queue.counts().counters()).containsEntry("delayed", 1L);
    }

    @Test
    void aDueDelayedJobJoinsTheTailOfItsKeysStrand() {
        long[] now = enqueue("k", 2);
        EnqueueResult d = queue.enqueueAt(EnqueueRequest.of("k", "due".getBytes(UTF_8)), queue.redisTimeMs() - 1);
        long[] after = enqueue("k", 1);
        assertThat(queue.promoteDue(0, 100).jobs()).isEqualTo(1);
        RedisState s = queue.check("after promote");
        assertThat(s.queues().get("k")).containsExactly(now[0], now[1], after[0], d.jobId(0));
    }

    @Test
    void aDueDelayedJobMakesAnIdleKeyReady() {
        queue.enqueueAt(EnqueueRequest.of("idle", "x".getBytes(UTF_8)), 1);
        queue.promoteDue(0, 100);
        assertThat(queue.check("after promote").ready()).containsKey("idle");
        assertThat(claimOne("w", 5).jobs()).extracting(QueueTestSupport::text).containsExactly("x");
    }

    @Test
    void jobsDueInTheSameMillisecondKeepSubmissionOrder() {
        long runAt = queue.redisTimeMs() - 10;
        List<Long> ids = new ArrayList<>();
        // Enough jobs that ids cross varint byte boundaries: member order must follow the sequence.
        for (int i = 0; i < 150; i++) {
            ids.add(queue.enqueueAt(EnqueueRequest.of("k", ("" + i).getBytes(UTF_8)), runAt).jobId(0));
        }
        assertThat(queue.promoteDue(0, 1000).jobs()).isEqualTo(150);
        assertThat(queue.check("after promote").queues().get("k")).isEqualTo(ids);
    }

    @Test
    void promotionIsBoundedPerCall() {
        for (int i = 0; i < 5; i++) {
            queue.enqueueAt(EnqueueRequest.of("k" + i, new byte[1]), 1);
        }
        assertThat(queue.promoteDue(0, 3)).isEqualTo(new Promoted(3, true));
        assertThat(queue.promoteDue(0, 3)).isEqualTo(new Promoted(2, false));
        assertThat(queue.promoteDue(0, 3)).isEqualTo(new Promoted(0, false));
        assertThat(queue.check("after promote").ready()).hasSize(5);
    }

    @Test
    void aPromotionThatTakesExactlyItsLimitSaysThereIsNoMore() {
        for (int i = 0; i < 3; i++) {
            queue.enqueueAt(EnqueueRequest.of("k" + i, new byte[1]), 1);
        }
        assertThat(queue.promoteDue(0, 3)).as("no due job is left").isEqualTo(new Promoted(3, false));
    }

    @Test
    void aDelayedSubmitIsDeduplicatedLikeAnyOther() {
        EnqueueRequest r = new EnqueueRequest("k", List.of(NewJob.of(new byte[1])), "once");
        EnqueueResult first = queue.enqueueDelayed(r, Duration.ofMinutes(5));
        EnqueueResult again = queue.enqueueDelayed(r, Duration.ofMinutes(5));
        assertThat(again.duplicate()).isTrue();
        assertThat(again.jobIds()).isEqualTo(first.jobIds());
        assertThat(queue.counts().counters()).containsEntry("delayed", 1L);
    }

    @Test
    void aNegativeDelayIsRefused() {
        assertThatThrownBy(() -> queue.enqueueDelayed(EnqueueRequest.of("k", new byte[1]), Duration.ofSeconds(-1)))
                .isInstanceOf(InvalidJobException.class).hasMessage("delay must be >= 0, got PT-1S");
    }
}
