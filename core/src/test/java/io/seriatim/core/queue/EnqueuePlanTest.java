package io.seriatim.core.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.seriatim.core.keys.KeyLayout;
import io.seriatim.core.keys.NamespaceKeys;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The split of a batch into enqueue_many calls and waves, without Redis. */
class EnqueuePlanTest {
    private static EnqueueRequest jobs(String key, int n) {
        return new EnqueueRequest(key, Collections.nCopies(n, NewJob.of(new byte[1])), null);
    }

    @Test
    void oneCallPerPartitionWithTheRequestsInBatchOrder() {
        NamespaceKeys keys = new NamespaceKeys("plan", 4, KeyLayout.SPREAD);
        List<EnqueueRequest> batch = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            batch.add(jobs("k" + i % 9, 1));
        }
        EnqueuePlan plan = EnqueuePlan.of(batch, keys);
        assertThat(plan.waves()).isEqualTo(1);
        for (EnqueuePlan.Call c : plan.calls()) {
            assertThat(c.requests()).isSorted().allMatch(r -> keys.partitionIndex(batch.get(r).key()) == c.partition());
            assertThat(c.jobs()).isEqualTo(c.requests().size());
        }
        assertThat(plan.calls()).extracting(EnqueuePlan.Call::partition).doesNotHaveDuplicates();
        assertThat(plan.calls()).flatExtracting(EnqueuePlan.Call::requests).hasSize(40);
    }

    @Test
    void aPartitionWithMoreJobsThanOneCallTakesGoesInWaves() {
        NamespaceKeys keys = new NamespaceKeys("plan", 1, KeyLayout.SPREAD);
        List<EnqueueRequest> batch = new ArrayList<>();
        for (int r = 0; r < 6; r++) {
            batch.add(jobs("big", 1000));
        }
        batch.add(jobs("small", 1));
        EnqueuePlan plan = EnqueuePlan.of(batch, keys);
        assertThat(plan.calls()).extracting(EnqueuePlan.Call::jobs).containsExactly(5000, 1001);
        assertThat(plan.calls()).extracting(EnqueuePlan.Call::wave).containsExactly(0, 1);
        assertThat(plan.calls()).extracting(EnqueuePlan.Call::index).containsExactly(0, 1);
        assertThat(plan.wave(1).getFirst().requests()).containsExactly(5, 6);
    }

    @Test
    void anEmptyBatchPlansNothing() {
        assertThat(EnqueuePlan.of(List.of(), new NamespaceKeys("plan", 2, KeyLayout.SPREAD)).waves()).isZero();
    }
}
