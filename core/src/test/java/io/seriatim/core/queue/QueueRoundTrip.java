package io.seriatim.core.queue;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.seriatim.core.keys.PartitionKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One pass of a namespace's whole life on a real deployment (Cluster, Sentinel): submits of many
 * keys, in one pipeline and one by one; a claim of every partition; one renewal of every lease;
 * an ack of every key's jobs. It checks that each key's jobs came back exactly once and in
 * order, and that nothing is left pending.
 */
final class QueueRoundTrip {
    private static final Duration LEASE = Duration.ofMinutes(1);

    private QueueRoundTrip() {}

    /** Runs one pass over {@code keys} keys named {@code prefix + i}, 3 jobs each. */
    static void run(KeyedQueue queue, String prefix, int keys) {
        Map<String, List<String>> sent = new LinkedHashMap<>();
        List<EnqueueRequest> batch = new ArrayList<>();
        for (int i = 0; i < keys; i++) {
            String key = prefix + i;
            sent.put(key, List.of(key + "/0", key + "/1", key + "/2"));
            batch.add(EnqueueRequest.of(key, bytes(key + "/0"), bytes(key + "/1")));
        }
        queue.enqueueAll(batch);
        sent.keySet().forEach(key -> queue.enqueue(EnqueueRequest.of(key, bytes(key + "/2"))));

        List<ClaimedKey> claimed = new ArrayList<>();
        for (int p = 0; p < queue.partitionCount(); p++) {
            claimed.addAll(queue.claim(p, "w", 1_000, LEASE, 10).keys());
        }
        assertThat(claimed).extracting(c -> c.lease().key()).containsExactlyInAnyOrderElementsOf(sent.keySet());

        List<Lease> leases = claimed.stream().map(ClaimedKey::lease).toList();
        assertThat(queue.renew(leases, LEASE).renewed()).as("every lease renewed, whichever master holds it")
                .extracting(Lease::key).containsExactlyInAnyOrderElementsOf(sent.keySet());

        for (ClaimedKey c : claimed) {
            assertThat(c.jobs()).extracting(j -> new String(j.payload(), UTF_8))
                    .as("the jobs of %s", c.lease().key()).containsExactlyElementsOf(sent.get(c.lease().key()));
            AckResult ack = queue.ack(c.lease(), c.jobs().stream().map(Job::id).toList(), LEASE, 10, 0);
            assertThat(ack.stillHeld()).as("acking all its jobs releases %s", c.lease().key()).isFalse();
        }
        for (int p = 0; p < queue.partitionCount(); p++) {
            assertThat(queue.claim(p, "w", 1_000, LEASE, 10).keys()).as("partition %d drained", p).isEmpty();
        }
    }

    /** The partitions' key prefixes (their hash tags), whose slots say which master holds each. */
    static List<String> hashTags(KeyedQueue queue) {
        return queue.keys().partitions().stream().map(PartitionKeys::prefix).toList();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }
}
