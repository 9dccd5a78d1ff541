package io.seriatim.core.queue;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seriatim.core.redis.RedisScriptException;
import io.seriatim.core.settings.NamespaceSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EnqueueScriptTest extends QueueTestSupport {
    @BeforeEach
    void setUp() {
        open();
    }

    private static EnqueueRequest withDedup(String key, String dedupId, int jobs) {
        List<NewJob> list = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            list.add(NewJob.of(new byte[] {(byte) i}));
        }
        return new EnqueueRequest(key, list, dedupId);
    }

    @Test
    void enqueueAppendsJobsInOrderWithIncreasingIds() {
        long[] first = enqueue("post-A", 3);
        long[] second = enqueue("post-A", 2);
        assertThat(state().queues().get("post-A")).containsExactly(first[0], first[1], first[2], second[0], second[1]);
        assertThat(ids(first[0], first[1], first[2], second[0], second[1])).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void enqueueMakesAnIdleKeyReadyOnce() {
        enqueue("post-A", 1);
        double readySince = state().ready().get("post-A");
        enqueue("post-A", 1);
        assertThat(state().ready()).containsOnlyKeys("post-A").containsEntry("post-A", readySince);
    }

    @Test
    void enqueueLeavesALeasedOrParkedKeyWhereItIs() {
        enqueue("leased", 1);
        enqueue("parked", 1);
        claimOne("w", 1);
        queue.park("parked", "hold");
        enqueue("leased", 1);
        enqueue("parked", 1);
        RedisState s = state();
        assertThat(s.ready()).isEmpty();
        assertThat(s.leases()).containsOnlyKeys("leased");
        assertThat(s.parked()).containsOnlyKeys("parked");
    }

    @Test
    void storedJobCarriesPayloadHeadersAndRedisTime() {
        long before = queue.redisTimeMs();
        queue.enqueue(new EnqueueRequest("k", List.of(new NewJob("hello".getBytes(UTF_8), Map.of("h", "v"))), null));
        Job job = claimOne("w", 10).jobs().getFirst();
        assertThat(text(job)).isEqualTo("hello");
        assertThat(job.headers()).containsExactly(Map.entry("h", "v"));
        assertThat(job.submittedAtMs()).isBetween(before, queue.redisTimeMs());
        assertThat(job.attempt()).isEqualTo(1);
        assertThat(job.key()).isEqualTo("k");
    }

    @Test
    void enqueueWithLiveDedupIdWritesNothing() {
        EnqueueResult first = queue.enqueue(withDedup("k", "dedup-1", 2));
        EnqueueResult[] again = new EnqueueResult[1];
        assertWritesNothing(() -> again[0] = queue.enqueue(withDedup("k", "dedup-1", 2)));
        assertThat(again[0].duplicate()).isTrue();
        assertThat(again[0].jobIds()).as("the original ids").containsExactly(first.jobIds());
    }

    @Test
    void aLiveDedupIdRefusesEvenADifferentBody() {
        EnqueueResult first = queue.enqueue(withDedup("k", "d", 1));
        assertWritesNothing(() -> assertThat(queue.enqueue(withDedup("k", "d", 3)).jobIds())
                .containsExactly(first.jobIds()));
    }

    @Test
    void sameDedupIdForAnotherKeyEnqueuesBoth() {
        assertThat(queue.enqueue(withDedup("a", "same", 1)).duplicate()).isFalse();
        assertThat(queue.enqueue(withDedup("b", "same", 1)).duplicate()).isFalse();
        assertThat(state().queues()).containsOnlyKeys("a", "b");
    }

    @Test
    void dedupIdIsRememberedForTheWindowOnly() {
        queue.enqueue(withDedup("k", "d", 1));
        long ttl = redis.client().pttl(queue.keys().partition(0).dedup("k", "d"));
        assertThat(ttl).isPositive().isLessThanOrEqualTo(queue.settings().dedupWindow().toMillis());
    }

    @Test
    void enqueueAllKeepsEachKeysOrderAcrossInterleavedRequests() {
        List<EnqueueRequest> requests = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            requests.add(EnqueueRequest.of("k" + (i % 3), ("" + i).getBytes(UTF_8)));
        }
        List<EnqueueResult> results = queue.enqueueAll(requests);
        for (int k = 0; k < 3; k++) {
            List<Long> expected = new ArrayList<>();
            for (int i = k; i < 50; i += 3) {
                expected.add(results.get(i).jobId(0));
            }
            assertThat(state().queues().get("k" + k)).isEqualTo(expected);
        }
    }

    @Test
    void idsOfEveryVarintLengthAreStampedAndReadBack() {
        // Ids are Protobuf varints written by hand (JobCodec; ack and fail compare them in Lua):
        // one id per length, 1 to 8 bytes.
        long[] sequences = {0, 1L << 3, 1L << 11, 1L << 18, 1L << 25, 1L << 32, 1L << 39, (1L << 42) - 2};
        for (long seq : sequences) {
            redis.client().set(queue.keys().partition(0).seq(), Long.toString(seq).getBytes(UTF_8));
            open(); // a fresh queue: its first enqueueAll takes a block from the counter just set
            EnqueueResult one = queue.enqueue(EnqueueRequest.of("single-" + seq, new byte[] {1}));
            EnqueueResult many = queue.enqueueAll(List.of(EnqueueRequest.of("many-" + seq, new byte[] {2}))).getFirst();
            assertThat(one.firstSequence()).isEqualTo(seq + 1);
            assertThat(many.firstSequence()).isEqualTo(seq + 2);
            List<Long> claimed = List.of(claimOne("w", 10).jobs().getFirst().id(), claimOne("w", 10).jobs().getFirst().id());
            assertThat(claimed).containsExactlyInAnyOrder(one.jobId(0), many.jobId(0));
        }
    }

    @Test
    void aPartitionWhoseSequenceSpaceIsUsedUpRefusesWithoutWriting() {
        long limit = 1L << 43; // ids are seq * 1024 + p and must stay exact in Lua's doubles
        redis.client().set(queue.keys().partition(0).seq(), Long.toString(limit - 2).getBytes(UTF_8));
        assertThat(queue.enqueue(EnqueueRequest.of("last", new byte[] {1})).firstSequence()).isEqualTo(limit - 1);
        // The whole text, as Redis 6.2 and 7 both send it: a refusal raised with error() read
        // differently on each (on 6.2 "attempt to concatenate local 'err'"); see common.lua.
        String usedUp = " the job sequence space of " + new String(queue.keys().partition(0).seq(), UTF_8)
                + " is used up";
        EnqueueRequest one = EnqueueRequest.of("k", new byte[] {1});
        assertChangesNothing(() -> {
            assertThatThrownBy(() -> queue.enqueue(one)).isInstanceOf(RedisScriptException.class)
                    .hasMessage("Redis error while running reserve_ids.lua:" + usedUp);
            assertThatThrownBy(() -> queue.enqueueAll(List.of(one))).isInstanceOf(RedisScriptException.class)
                    .hasMessage("Redis error while running reserve_ids.lua:" + usedUp);
            assertThatThrownBy(() -> queue.enqueueDelayed(one, Duration.ofMinutes(1)))
                    .isInstanceOf(RedisScriptException.class)
                    .hasMessage("Redis error while running reserve_ids.lua:" + usedUp);
        });
        assertThat(state().queues()).containsOnlyKeys("last");
        assertThat(new String(redis.client().get(queue.keys().partition(0).seq()), UTF_8)).isEqualTo(Long.toString(limit - 1));
    }

    @Test
    void jobIdsNameTheirPartition() {
        open(NamespaceSettings.builder("parted").partitions(4));
        for (String key : List.of("a", "b", "c", "d", "e", "f", "g")) {
            EnqueueResult r = queue.enqueue(EnqueueRequest.of(key, new byte[] {1}));
            assertThat(r.partition()).isEqualTo(queue.partitionOf(key));
            assertThat(JobIds.partition(r.jobId(0))).isEqualTo(queue.partitionOf(key));
        }
        assertThat(state().ready()).hasSize(7);
    }

    @Test
    void enqueueRingsTheBellForAnIdleKeyOnly() {
        byte[] bell = queue.keys().partition(0).bell();
        enqueue("a", 1);
        assertThat(redis.client().blpop(1.0, bell)).isNotNull();
        claimOne("w", 1);
        enqueue("a", 1);
        assertThat(redis.client().llen(bell)).as("a leased key's new job rings nothing").isZero();
    }

    @Test
    void aBatchSentAgainWithItsDedupIdEnqueuesNothingAndAnswersTheOriginalIds() {
        open(NamespaceSettings.builder("batches").partitions(3));
        List<EnqueueRequest> batch = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            batch.add(EnqueueRequest.of("k" + (i % 7), ("" + i).getBytes(UTF_8)));
        }
        batch.add(withDedup("k1", "own-1", 2)); // a group with its own id, inside the batch
        List<EnqueueResult> first = queue.enqueueAll(batch, "session-1:7");
        RedisDump before = dump();
        List<EnqueueResult> again = queue.enqueueAll(batch, "session-1:7");
        // Only the id bookkeeping moves: the resend took a block of ids that it did not use.
        assertThat(dump().withoutIdBlocks()).as("nothing written twice").isEqualTo(before.withoutIdBlocks());
        for (int i = 0; i < batch.size(); i++) {
            assertThat(again.get(i).duplicate()).isTrue();
            assertThat(again.get(i).jobIds()).as("request " + i).isEqualTo(first.get(i).jobIds());
        }
        assertThat(redis.client().keys("*dedup*")).as("one dedup key per script call, and the group's own")
                .hasSizeLessThanOrEqualTo(3 + 1);
    }

    @Test
    void aBatchWhoseOwnDedupGroupWasADuplicateAnswersItsOriginalIdsOnAResend() {
        EnqueueResult earlier = queue.enqueue(withDedup("a", "mine", 1));
        List<EnqueueRequest> batch = List.of(EnqueueRequest.of("a", new byte[] {1}), withDedup("a", "mine", 1),
                EnqueueRequest.of("a", new byte[] {2}));
        List<EnqueueResult> first = queue.enqueueAll(batch, "b:1");
        assertThat(first.get(1).duplicate()).isTrue();
        assertThat(first.get(1).jobIds()).isEqualTo(earlier.jobIds());
        // The duplicate group keeps its place in the call's block of ids, unused.
        assertThat(first.get(2).jobId(0)).isEqualTo(first.get(0).jobId(0) + 2 * 1024);
        List<EnqueueResult> again = queue.enqueueAll(batch, "b:1");
        for (int i = 0; i < 3; i++) {
            assertThat(again.get(i).jobIds()).isEqualTo(first.get(i).jobIds());
        }
        assertThat(state().queues().get("a")).hasSize(3);
    }

    @Test
    void aDifferentBatchIdEnqueuesAgain() {
        List<EnqueueRequest> batch = List.of(EnqueueRequest.of("a", new byte[] {1}));
        queue.enqueueAll(batch, "b:1");
        assertThat(queue.enqueueAll(batch, "b:2").getFirst().duplicate()).isFalse();
        assertThat(state().queues().get("a")).hasSize(2);
    }

    @Test
    void aDedupIdRepeatedInsideOneBatchEnqueuesOnlyItsFirstGroup() {
        List<EnqueueResult> r = queue.enqueueAll(List.of(withDedup("a", "d", 1), withDedup("a", "d", 2)), "b:1");
        assertThat(r.get(0).duplicate()).isFalse();
        assertThat(r.get(1).duplicate()).isTrue();
        assertThat(r.get(1).jobIds()).isEqualTo(r.get(0).jobIds());
        assertThat(state().queues().get("a")).hasSize(1);
        List<EnqueueResult> again = queue.enqueueAll(List.of(withDedup("a", "d", 1), withDedup("a", "d", 2)), "b:1");
        assertThat(again.get(1).jobIds()).isEqualTo(r.get(0).jobIds());
    }

    @Test
    void aKeyWithMoreJobsThanOneCallTakesStaysInOrderAndResendsAsDuplicates() {
        List<EnqueueRequest> batch = new ArrayList<>();
        for (int r = 0; r < 6; r++) { // 6 x 1,000 jobs of one key: two enqueue_many calls, in two waves
            batch.add(withDedup("big", null, 1000));
        }
        List<EnqueueResult> first = queue.enqueueAll(batch, "big:1");
        List<Long> ids = new ArrayList<>();
        first.forEach(r -> java.util.Arrays.stream(r.jobIds()).forEach(ids::add));
        assertThat(ids).isSorted().hasSize(6000);
        assertThat(state().queues().get("big")).isEqualTo(ids);
        List<EnqueueResult> again = queue.enqueueAll(batch, "big:1");
        assertThat(again).allMatch(EnqueueResult::duplicate);
        assertThat(state().queues().get("big")).hasSize(6000);
    }
}
