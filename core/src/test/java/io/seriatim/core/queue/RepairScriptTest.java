package io.seriatim.core.queue;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.seriatim.core.keys.PartitionKeys;
import io.seriatim.core.script.ScriptStatus;
import io.seriatim.core.settings.NamespaceSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/**
 * repair.lua and the repair pass: bookkeeping damaged from outside the scripts (as a failover's
 * lost writes leave it) is found and mended, and nothing is made ready beside a standing lease.
 * The damage is done with plain Redis commands, so the calls in between go to the raw queue.
 */
class RepairScriptTest extends QueueTestSupport {

    private PartitionKeys p() {
        return queue.keys().partition(0);
    }

    private UnifiedJedis r() {
        return redis.client();
    }

    private static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    /** Pages until a whole pass is done; the keys mended, with their problem. */
    private List<RepairPage.Mended> wholePass(int partition, int pageKeys) {
        List<RepairPage.Mended> mended = new ArrayList<>();
        RepairCursor at = RepairCursor.start();
        for (int i = 0; i < 100_000; i++) {
            RepairPage page = queue.raw().repairPage(partition, at, pageKeys);
            mended.addAll(page.mended());
            at = page.next();
            if (page.passDone()) {
                return mended;
            }
        }
        throw new AssertionError("the pass never ended");
    }

    @Test
    void aStrandedKeyIsNamedByInspectAndMadeReadyByTheNextSubmit() {
        open();
        long[] ids = enqueue("a", 2);
        r().zrem(p().ready(), b("a")); // the token is lost
        assertThat(queue.raw().inspect("a", 0).problem()).isEqualTo(KeyInspection.Problem.STRANDED);
        long[] more = enqueue("a", 1); // checked: the invariant holds again after it
        assertThat(state().ready()).containsOnlyKeys("a");
        assertThat(state().stats()).containsEntry("repaired", 1L);
        assertThat(ids(claimOne("w", 3).jobs())).containsExactly(ids[0], ids[1], more[0]);
    }

    @Test
    void thePassMendsStrandedKeysAndTokensWithoutJobs() {
        open();
        enqueue("a", 1);
        enqueue("b", 1);
        enqueue("c", 1);
        r().zrem(p().ready(), b("b"));
        r().zadd(p().ready(), 1, b("ghost"));
        r().hset(p().parked(), b("ghost2"), b("why"));
        r().hset(p().owners(), b("ghost3"), b("7|1|0|w"));
        r().hset(p().attempts(), b("ghost4"), b("2"));
        assertThat(wholePass(0, 2)).extracting(RepairPage.Mended::key, RepairPage.Mended::problem)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("b", "stranded"),
                        org.assertj.core.groups.Tuple.tuple("ghost", "token-without-jobs"),
                        org.assertj.core.groups.Tuple.tuple("ghost2", "token-without-jobs"),
                        org.assertj.core.groups.Tuple.tuple("ghost3", "token-without-jobs"),
                        org.assertj.core.groups.Tuple.tuple("ghost4", "token-without-jobs"));
        queue.check("after the pass");
        assertThat(wholePass(0, 2)).as("a second pass finds nothing").isEmpty();
    }

    @Test
    void anOwnerWithoutALeaseGetsALeaseExpiringNowWhichALiveHolderRenews() {
        open();
        long[] ids = enqueue("a", 2);
        Lease lease = claimOne("w", 1).lease();
        r().zrem(p().leases(), b("a"));
        assertThat(queue.raw().inspect("a", 0).problem()).isEqualTo(KeyInspection.Problem.OWNER_WITHOUT_LEASE);
        assertThat(wholePass(0, 100)).extracting(RepairPage.Mended::problem).containsExactly("owner-without-lease");
        assertThat(state().leases().get("a")).isLessThanOrEqualTo((double) queue.redisTimeMs());
        assertThat(queue.claim(0, "w2", 10, LONG_LEASE, 1).keys()).as("never ready beside the owner").isEmpty();
        assertThat(queue.renew(List.of(lease), LONG_LEASE)).hasSize(1);
        assertThat(queue.ack(lease, ids(ids[0]), LONG_LEASE, 1, 0).status()).isEqualTo(ScriptStatus.CONTINUE);
    }

    @Test
    void aKeyBothLeasedAndReadyKeepsItsLeaseOnly() {
        open();
        enqueue("a", 2);
        Lease lease = claimOne("w", 1).lease();
        r().zadd(p().ready(), 0, b("a")); // a lost write brought back a stale token
        r().hset(p().parked(), b("a"), b("old park"));
        assertThat(queue.raw().inspect("a", 0).problem()).isEqualTo(KeyInspection.Problem.MORE_THAN_ONE_PLACE);
        assertThat(wholePass(0, 100)).extracting(RepairPage.Mended::problem).containsExactly("more-than-one-place");
        RedisState s = state();
        assertThat(s.ready()).isEmpty();
        assertThat(s.parked()).isEmpty();
        assertThat(s.deferred()).as("the park waits for the holder").containsKey("a");
        assertThat(queue.ack(lease, List.of(state().queues().get("a").getFirst()), LONG_LEASE, 1, 0).status())
                .isEqualTo(ScriptStatus.HANDED_OVER);
        assertThat(state().parked()).containsEntry("a", "old park");
    }

    @Test
    void aLeaseWithoutAnOwnerIsLeftToItsDeadlineAndItsExpiryCountsAsARepair() {
        open();
        enqueue("a", 1);
        claimOne(0, "w", 1, Duration.ZERO);
        r().hdel(p().owners(), b("a"));
        assertThat(queue.raw().inspect("a", 0).problem()).isEqualTo(KeyInspection.Problem.LEASE_WITHOUT_OWNER);
        assertThat(wholePass(0, 100)).isEmpty();
        assertThat(queue.sweep(0, 10).swept()).isEqualTo(1);
        assertThat(state().ready()).containsOnlyKeys("a");
        assertThat(state().stats()).containsEntry("repaired", 1L);
    }

    /**
     * Seeded random damage over many keys in every state: one pass restores the invariant, no key
     * is made ready beside a standing lease, and no job is lost.
     */
    @Test
    void onePassRestoresTheInvariantAfterRandomDamage() {
        long seed = Long.getLong("seriatim.seed", System.nanoTime());
        System.out.println("repair damage: seed=" + seed + " (replay: -Dseriatim.seed=" + seed + ")");
        Random rnd = new Random(seed);
        open(NamespaceSettings.builder("damaged").partitions(3));
        List<String> keys = new ArrayList<>();
        for (int k = 0; k < 300; k++) {
            keys.add("k" + k);
            queue.raw().enqueue(EnqueueRequest.of("k" + k, b("1"), b("2")));
        }
        List<Lease> held = new ArrayList<>();
        for (int partition = 0; partition < 3; partition++) {
            queue.raw().claim(partition, "w", 40, LONG_LEASE, 1).keys().forEach(c -> held.add(c.lease()));
        }
        for (int k = 0; k < 300; k += 7) {
            queue.raw().park("k" + k, "by hand");
        }
        long pending = queue.raw().counts().pendingJobs();
        for (int i = 0; i < 200; i++) {
            String key = keys.get(rnd.nextInt(keys.size()));
            PartitionKeys pk = queue.keys().partitionOf(key);
            switch (rnd.nextInt(6)) {
                case 0 -> r().zrem(pk.ready(), b(key));
                case 1 -> r().zrem(pk.leases(), b(key));
                case 2 -> r().hdel(pk.parked(), b(key));
                case 3 -> r().zadd(pk.ready(), 0, b(key));
                case 4 -> r().zadd(pk.ready(), 0, b("ghost-" + i));
                default -> r().hset(pk.parked(), b("gone-" + i), b("x"));
            }
        }
        for (int partition = 0; partition < 3; partition++) {
            wholePass(partition, 1 + rnd.nextInt(50));
        }
        RedisState s = queue.check("after one pass over the damage");
        assertThat(s.leases().keySet()).as("no standing lease lost").containsAll(
                held.stream().map(Lease::key).filter(k -> s.owners().containsKey(k)).toList());
        assertThat(queue.raw().counts().pendingJobs()).as("no job lost").isEqualTo(pending);
        for (Lease lease : held) {
            assertThat(s.ready()).as("%s ready beside its lease", lease.key()).doesNotContainKey(lease.key());
        }
    }
}
