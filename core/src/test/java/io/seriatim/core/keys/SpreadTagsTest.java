package io.seriatim.core.keys;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * The spread tags: the same for every process and every run, each partition in the middle of its
 * share of the slots, and so an exact share of every master when the partition count is a
 * multiple of the masters, on an equal split of the slots as this repository's local cluster
 * makes it (floor) and as {@code redis-cli --cluster create} does (rounded).
 */
class SpreadTagsTest {
    private static final int SLOTS = 16_384;

    /** Seeded so that a failure can be replayed: set -Dspread.seed to the printed seed. */
    private static final long SEED = Long.getLong("spread.seed", 20261201L);

    @Test
    void crc16IsRedisClustersSlotHash() {
        Random random = new Random(SEED);
        for (int i = 0; i < 10_000; i++) {
            byte[] key = new byte[random.nextInt(40)];
            for (int j = 0; j < key.length; j++) {
                key[j] = (byte) (33 + random.nextInt(90)); // printable, '{' and '}' included
            }
            String s = new String(key, UTF_8).replace("{", "").replace("}", "");
            assertThat(Crc16.slot(Crc16.update(0, s.getBytes(UTF_8)))).as("slot of '%s'", s)
                    .isEqualTo(JedisClusterCRC16.getSlot(s));
        }
    }

    /**
     * Pinned: these names are where namespaces' data lives, so a change to the search would lose
     * every spread namespace's jobs. If this fails, the search changed: put it back.
     */
    @Test
    void theTagsAreFixedForGood() {
        assertThat(new NamespaceKeys("comments", 12, KeyLayout.SPREAD).partitions()).extracting(PartitionKeys::tag)
                .containsExactly(PINNED_COMMENTS_12);
        assertThat(new NamespaceKeys("comments", 1, KeyLayout.SPREAD).partition(0).tag()).isEqualTo(PINNED_COMMENTS_1);
        assertThat(new NamespaceKeys("comments", 12, KeyLayout.PLAIN).partitions()).extracting(PartitionKeys::prefix)
                .startsWith("{comments:0}:", "{comments:1}:").endsWith("{comments:11}:");
    }

    private static final String[] PINNED_COMMENTS_12 = {"comments:0:1c", "comments:1:2", "comments:2:1i",
        "comments:3:12", "comments:4:h", "comments:5:c", "comments:6:2j", "comments:7:15", "comments:8:d", "comments:9:7",
        "comments:10:1q", "comments:11:23"};
    private static final String PINNED_COMMENTS_1 = "comments:0:0";

    @Test
    void everyPartitionIsInTheMiddleOfItsShareAndEveryMasterGetsItsShare() {
        long seed = SEED;
        System.out.println("SpreadTagsTest seed " + seed + " (-Dspread.seed=" + seed + " replays it)");
        Random random = new Random(seed);
        List<String> names = new ArrayList<>(List.of("comments", "a", "orders.eu-west-1", "default"));
        while (names.size() < 24) {
            names.add(name(random));
        }
        for (String name : names) {
            for (int partitions = 1; partitions <= 256; partitions++) {
                int[] slots = new int[partitions];
                for (int p = 0; p < partitions; p++) {
                    int from = p * SLOTS / partitions;
                    int to = (p + 1) * SLOTS / partitions;
                    int quarter = (to - from) / 4;
                    slots[p] = JedisClusterCRC16.getSlot(KeyLayout.SPREAD.tag(name, p, partitions));
                    assertThat(slots[p]).as("%s, partition %d of %d", name, p, partitions)
                            .isGreaterThanOrEqualTo(from + quarter).isLessThan(to - quarter);
                }
                for (int masters = 1; masters <= 6; masters++) {
                    for (int[] split : List.of(floorSplit(masters), redisCliSplit(masters))) {
                        int[] held = held(slots, split);
                        String what = name + ", " + partitions + " partitions on " + masters + " masters "
                                + Arrays.toString(split) + ": " + Arrays.toString(held);
                        int most = Arrays.stream(held).max().orElseThrow();
                        int least = Arrays.stream(held).min().orElseThrow();
                        if (partitions % masters == 0) {
                            assertThat(most).as(what).isEqualTo(least).isEqualTo(partitions / masters);
                        } else {
                            assertThat(most - least).as(what).isLessThanOrEqualTo(2);
                        }
                    }
                }
            }
        }
    }

    @Test
    void aPartitionsSlotIsItsTagsAsRedisClusterHashesItsKeys() {
        for (PartitionKeys p : new NamespaceKeys("comments", 12, KeyLayout.SPREAD).partitions()) {
            assertThat(p.slot()).isEqualTo(JedisClusterCRC16.getSlot(p.prefix() + "q:post-A"))
                    .isEqualTo(JedisClusterCRC16.getSlot(p.tag()));
        }
    }

    @Test
    void theLargestNamespaceFindsItsTagsQuickly() {
        long start = System.nanoTime();
        NamespaceKeys keys = new NamespaceKeys("a-rather-long-namespace-name-of-forty-chars", 1024, KeyLayout.SPREAD);
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(keys.partitionCount()).isEqualTo(1024);
        assertThat(ms).as("ms to find 1,024 tags").isLessThan(2_000);
    }

    /** Slot boundaries {@code m * 16384 / M}, as the local cluster assigns them. */
    private static int[] floorSplit(int masters) {
        int[] out = new int[masters + 1];
        for (int m = 0; m <= masters; m++) {
            out[m] = m * SLOTS / masters;
        }
        return out;
    }

    /** Slot boundaries as redis-cli --cluster create rounds them (clusterManagerCommandCreate). */
    private static int[] redisCliSplit(int masters) {
        int[] out = new int[masters + 1];
        float perNode = SLOTS / (float) masters;
        float cursor = 0;
        int first = 0;
        for (int m = 0; m < masters; m++) {
            long last = Math.round(cursor + perNode - 1);
            if (last > SLOTS || m == masters - 1) {
                last = SLOTS - 1;
            }
            if (last < first) {
                last = first;
            }
            out[m] = first;
            first = (int) last + 1;
            cursor += perNode;
        }
        out[masters] = SLOTS;
        return out;
    }

    private static int[] held(int[] slots, int[] split) {
        int[] held = new int[split.length - 1];
        for (int slot : slots) {
            for (int m = 0; m < held.length; m++) {
                if (slot >= split[m] && slot < split[m + 1]) {
                    held[m]++;
                }
            }
        }
        return held;
    }

    private static String name(Random random) {
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-";
        char[] c = new char[1 + random.nextInt(20)];
        for (int i = 0; i < c.length; i++) {
            c[i] = alphabet.charAt(random.nextInt(alphabet.length()));
        }
        return new String(c);
    }
}
