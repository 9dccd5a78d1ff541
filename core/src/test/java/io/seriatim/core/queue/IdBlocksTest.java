package io.seriatim.core.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.seriatim.core.settings.NamespaceSettings;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Protocol;

/** reserve_ids and the blocks enqueueAll stamps its jobs from. */
class IdBlocksTest extends QueueTestSupport {
    @Test
    void idsFromBlocksOfManyQueuesNeverRepeat() {
        long seed = System.nanoTime();
        System.out.println("IdBlocksTest seed " + seed);
        Random random = new Random(seed);
        NamespaceSettings.Builder ns = NamespaceSettings.builder("ids").partitions(2);
        // Three "gateways" with blocks of their own, and a fourth queue for single requests.
        List<KeyedQueue> gateways = List.of(KeyedQueue.open(redis.client(), ns.build()),
                KeyedQueue.open(redis.client(), ns.build()), KeyedQueue.open(redis.client(), ns.build()));
        open(ns);
        Set<Long> ids = new HashSet<>();
        int jobs = 0;
        for (int round = 0; round < 300; round++) {
            List<EnqueueRequest> batch = new ArrayList<>();
            for (int j = random.nextInt(40); j >= 0; j--) {
                batch.add(EnqueueRequest.of("k" + random.nextInt(20), new byte[] {(byte) j}));
            }
            List<EnqueueResult> results = random.nextInt(4) == 0 ? List.of(queue.enqueue(batch.getFirst()))
                    : gateways.get(random.nextInt(3)).enqueueAll(batch);
            for (EnqueueResult r : results) {
                for (long id : r.jobIds()) {
                    assertThat(ids.add(id)).as("id %d handed out once", id).isTrue();
                    jobs++;
                }
            }
        }
        assertThat(queue.counts().pendingJobs()).isEqualTo(jobs);
    }

    @Test
    void aBlockThatRedisLostIsNeverStampedFrom() {
        open();
        var p0 = queue.keys().partition(0);
        queue.enqueueAll(List.of(EnqueueRequest.of("a", new byte[] {1}))); // block [1, 1]
        EnqueueResult b = queue.enqueueAll(List.of(EnqueueRequest.of("b", new byte[] {2}))).getFirst(); // block [2, 3]
        assertThat(b.firstSequence()).isEqualTo(2);
        // Redis loses its last writes: the second reservation (counter and marker) and job b.
        redis.client().set(p0.seq(), "1".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        redis.client().del(p0.prefix() + "ids:2");
        redis.client().del(p0.queue("b"));
        redis.client().zrem(p0.ready(), "b".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        redis.client().hincrBy(p0.stats(), "pending".getBytes(java.nio.charset.StandardCharsets.UTF_8), -1);
        Set<Long> ids = new HashSet<>();
        // The queue still holds [2, 3] with 3 unused, and the counter hands out 2 and 3 again:
        // stamping 3 would collide with a later job. enqueue_many refuses the lost block, and c is
        // stamped anew.
        ids.add(queue.enqueue(EnqueueRequest.of("c", new byte[] {3})).jobId(0));
        ids.add(queue.enqueueAll(List.of(EnqueueRequest.of("d", new byte[] {4}))).getFirst().jobId(0));
        ids.add(queue.enqueue(EnqueueRequest.of("e", new byte[] {5})).jobId(0));
        assertThat(ids).hasSize(3);
        assertThat(state().queues().get("d")).hasSize(1);
    }

    @Test
    void aDelayedSubmitIsNeverStampedFromALostBlockEither() {
        open();
        var p0 = queue.keys().partition(0);
        queue.enqueueAll(List.of(EnqueueRequest.of("a", new byte[] {1}))); // block [1, 1]
        queue.enqueueAll(List.of(EnqueueRequest.of("b", new byte[] {2}))); // block [2, 3]
        // Redis loses its last writes, as above: the second reservation and job b.
        redis.client().set(p0.seq(), "1".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        redis.client().del(p0.prefix() + "ids:2");
        redis.client().del(p0.queue("b"));
        redis.client().zrem(p0.ready(), "b".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        redis.client().hincrBy(p0.stats(), "pending".getBytes(java.nio.charset.StandardCharsets.UTF_8), -1);
        EnqueueResult later = queue.enqueueDelayed(EnqueueRequest.of("c", new byte[] {3}), java.time.Duration.ofHours(1));
        assertThat(later.firstSequence()).as("stamped from a new block, not from 3").isEqualTo(2);
        assertThat(redis.client().zcard(p0.delayed())).isEqualTo(1);
    }

    @Test
    void stampedSubmitTimesFollowTheRedisClockAcrossAgedBlocks() throws Exception {
        open();
        for (int i = 0; i < 3; i++) {
            long before = queue.redisTimeMs();
            queue.enqueueAll(List.of(EnqueueRequest.of("k" + i, new byte[] {1})));
            long after = queue.redisTimeMs();
            Job job = claimOne("w", 1).jobs().getFirst();
            // The stamp is the block's Redis time plus this process' elapsed time: within a
            // millisecond of Redis' own clock (ms truncation on both sides).
            assertThat(job.submittedAtMs()).isBetween(before - 1, after + 1);
            Thread.sleep(i == 1 ? 1_100 : 50); // once past the block's 1 s life: a new block and time
        }
    }

    @Test
    @SuppressWarnings("deprecation") // Jedis 8 deprecates sendCommand and has no typed call for this command
    void aBusyQueueAsksRedisForIdsRarely() {
        open();
        redis.client().sendCommand(Protocol.Command.CONFIG, "RESETSTAT");
        long started = System.nanoTime();
        for (int i = 0; i < 200; i++) {
            List<EnqueueRequest> batch = new ArrayList<>();
            for (int k = 0; k < 100; k++) {
                batch.add(EnqueueRequest.of("k" + k, new byte[] {1}));
            }
            queue.enqueueAll(batch);
        }
        // 20,000 ids in blocks that double from 100: about 8 reservations, not 200; plus one for
        // each block that aged out (IdBlocks.MAX_AGE_NANOS) on a slow machine.
        long aged = (System.nanoTime() - started) / IdBlocks.MAX_AGE_NANOS + 1;
        String stats = redis.client().info("commandstats");
        long reserves = stats.lines().filter(l -> l.startsWith("cmdstat_incrby:")).mapToLong(l ->
                Long.parseLong(l.substring(l.indexOf("calls=") + 6, l.indexOf(',')))).sum();
        assertThat(reserves).isBetween(1L, 10L + aged);
    }
}
