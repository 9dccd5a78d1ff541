package io.seriatim.core.queue;

import io.seriatim.core.keys.NamespaceKeys;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How a batch of requests becomes enqueue_many calls: one call per partition and chunk of at
 * most {@link #MAX_JOBS_PER_CALL} jobs, each request in the last call of its partition while that
 * has room. Requests keep their order within a partition, and a key never spans partitions, so
 * each key keeps its order.
 *
 * <p>A key spans two calls of its partition only in a batch of over 5,000 jobs for it. The n-th
 * call of a partition is in wave n, and waves go one after the other: were call n refused (OOM)
 * and call n+1 applied in the same pipeline, a resend would put n after n+1.
 */
final class EnqueuePlan {
    /** Most jobs in one enqueue_many call: bounds how long one call keeps Redis busy (a few ms). */
    static final int MAX_JOBS_PER_CALL = 5000;

    /**
     * One enqueue_many call.
     *
     * @param index     its place in the plan; the same batch sent again plans the same calls, so
     *                  the index names the call for the batch's dedup id
     * @param requests  its requests, as indexes into the batch, in batch order
     * @param jobs      how many jobs those requests carry
     */
    record Call(int index, int partition, int wave, List<Integer> requests, int jobs) {}

    private final List<Call> calls;
    private final int waves;

    private EnqueuePlan(List<Call> calls) {
        this.calls = calls;
        this.waves = calls.stream().mapToInt(Call::wave).max().orElse(-1) + 1;
    }

    static EnqueuePlan of(List<EnqueueRequest> requests, NamespaceKeys keys) {
        List<Open> calls = new ArrayList<>();
        Map<Integer, Open> last = new HashMap<>(); // partition -> its latest call
        for (int r = 0; r < requests.size(); r++) {
            int n = requests.get(r).jobs().size();
            int p = keys.partitionIndex(requests.get(r).key());
            Open c = last.get(p);
            if (c == null || c.jobs + n > MAX_JOBS_PER_CALL) {
                c = new Open(calls.size(), p, c == null ? 0 : c.wave + 1);
                calls.add(c);
                last.put(p, c);
            }
            c.requests.add(r);
            c.jobs += n;
        }
        return new EnqueuePlan(calls.stream()
                .map(c -> new Call(c.index, c.partition, c.wave, List.copyOf(c.requests), c.jobs)).toList());
    }

    /** A call while the plan is made: it may still take requests. */
    private static final class Open {
        final int index;
        final int partition;
        final int wave;
        final List<Integer> requests = new ArrayList<>();
        int jobs;

        Open(int index, int partition, int wave) {
            this.index = index;
            this.partition = partition;
            this.wave = wave;
        }
    }

    List<Call> calls() {
        return calls;
    }

    int waves() {
        return waves;
    }

    List<Call> wave(int w) {
        return calls.stream().filter(c -> c.wave() == w).toList();
    }
}
