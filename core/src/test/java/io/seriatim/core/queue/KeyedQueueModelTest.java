package io.seriatim.core.queue;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.seriatim.core.queue.QueueModel.Held;
import io.seriatim.core.queue.QueueModel.Place;
import io.seriatim.core.script.ScriptStatus;
import io.seriatim.core.settings.FailurePolicy;
import io.seriatim.core.settings.NamespaceSettings;
import io.seriatim.testkit.RedisExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Model-based randomised test: thousands of random operations against a real Redis and a plain
 * Java model ({@link QueueModel}), compared after every step, with the invariant checked too.
 *
 * <p>Replay a failure with {@code -Dseriatim.seed=<seed>}; {@code -Dseriatim.steps=N} sets the
 * length (CI: 10,000 for the main configuration).
 */
class KeyedQueueModelTest {
    static final Duration LONG = Duration.ofMinutes(5);
    static final long DELAYED_BEYOND_MS = Duration.ofMinutes(10).toMillis();
    static final String[] WORKERS = {"w1", "w2", "w3"};

    @RegisterExtension
    static final RedisExtension redis = new RedisExtension();

    @Test
    void onePartitionSkipPolicyNoFairnessLimit() {
        run(NamespaceSettings.builder("model-a").maxAttempts(3).failurePolicy(FailurePolicy.SKIP).fairnessJobs(0)
                .fairnessTime(Duration.ZERO), steps());
    }

    @Test
    void twoPartitionsParkPolicyTightFairness() {
        run(NamespaceSettings.builder("model-b").partitions(2).maxAttempts(2).failurePolicy(FailurePolicy.PARK)
                .fairnessJobs(3).fairnessTime(Duration.ZERO), steps() / 2);
    }

    static int steps() {
        return Integer.getInteger("seriatim.steps", 10_000);
    }

    static void run(NamespaceSettings.Builder settings, int steps) {
        run(redis, settings, steps);
    }

    static void run(RedisExtension redis, NamespaceSettings.Builder settings, int steps) {
        long seed = Long.getLong("seriatim.seed", System.nanoTime());
        System.out.println("KeyedQueueModelTest seed=" + seed + " steps=" + steps + " (replay: -Dseriatim.seed=" + seed + ")");
        System.out.println("  on Redis " + redis.server().version());
        new Driver(redis, KeyedQueue.open(redis.client(), settings.build()), new Random(seed), seed).run(steps);
    }

    /** One randomised run: picks operations, applies them to Redis and the model, compares. */
    static final class Driver {
        final RedisExtension redis;
        final KeyedQueue queue;
        final Random rnd;
        final long seed;
        final QueueModel model;
        final List<String> keys = new ArrayList<>();
        final List<Lease> oldLeases = new ArrayList<>();
        final List<String> dedupIds = new ArrayList<>();
        int step;
        String op = "";

        Driver(RedisExtension redis, KeyedQueue queue, Random rnd, long seed) {
            this.redis = redis;
            this.queue = queue;
            this.rnd = rnd;
            this.seed = seed;
            NamespaceSettings s = queue.settings();
            this.model = new QueueModel(s.maxAttempts(), s.failurePolicy(), s.fairnessJobs());
            for (int i = 0; i < 20; i++) {
                keys.add("k" + i);
            }
            keys.add("ключ-é"); // keys are UTF-8 strings, not ASCII
        }

        void run(int steps) {
            for (step = 0; step < steps; step++) {
                Map<String, Held> leasesBefore = new TreeMap<>(model.leases);
                try {
                    stepOnce();
                    compare();
                } catch (AssertionError | RuntimeException e) {
                    throw new AssertionError("seed=" + seed + " step=" + step + " op=" + op + ": " + e.getMessage(), e);
                }
                leasesBefore.forEach((k, held) -> {
                    if (model.leases.get(k) != held) {
                        oldLeases.add(held.lease);
                    }
                });
                if (oldLeases.size() > 50) {
                    oldLeases.subList(0, oldLeases.size() - 50).clear();
                }
            }
        }

        void stepOnce() {
            int r = rnd.nextInt(100);
            if (r < 25) {
                enqueue();
            } else if (r < 40) {
                claim();
            } else if (r < 58) {
                ack();
            } else if (r < 63) {
                staleCall();
            } else if (r < 67) {
                renew();
            } else if (r < 74) {
                fail();
            } else if (r < 77) {
                release();
            } else if (r < 83) {
                sweep();
            } else if (r < 87) {
                park();
            } else if (r < 91) {
                unpark();
            } else if (r < 95) {
                replay();
            } else if (r < 97) {
                purge();
            } else {
                pauseOrResume();
            }
        }

        String anyKey() {
            return keys.get(rnd.nextInt(keys.size()));
        }

        String anyLeasedKey() {
            if (model.leases.isEmpty()) {
                return null;
            }
            List<String> leased = new ArrayList<>(model.leases.keySet());
            return leased.get(rnd.nextInt(leased.size()));
        }

        void enqueue() {
            String key = anyKey();
            int n = 1 + rnd.nextInt(3);
            String dedup = null;
            if (rnd.nextInt(5) == 0) {
                dedup = !dedupIds.isEmpty() && rnd.nextBoolean() ? dedupIds.get(rnd.nextInt(dedupIds.size()))
                        : "d" + step;
            }
            List<NewJob> jobs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                jobs.add(NewJob.of((key + "@" + step + "." + i).getBytes(UTF_8)));
            }
            op = "enqueue " + key + " x" + n + (dedup == null ? "" : " dedup " + dedup);
            EnqueueRequest request = new EnqueueRequest(key, jobs, dedup);
            String scoped = key + "\n" + dedup; // a dedup id is remembered per key
            boolean expectDuplicate = dedup != null && model.dedup.containsKey(scoped);
            EnqueueResult result = rnd.nextBoolean() ? queue.enqueue(request) : queue.enqueueAll(List.of(request)).getFirst();
            assertThat(result.duplicate()).as("duplicate").isEqualTo(expectDuplicate);
            if (expectDuplicate) {
                assertThat(result.jobIds()).isEqualTo(model.dedup.get(scoped));
                return;
            }
            if (dedup != null) {
                model.dedup.put(scoped, result.jobIds());
                dedupIds.add(dedup);
            }
            model.enqueue(key, result.jobIds());
        }

        void claim() {
            int partition = rnd.nextInt(queue.partitionCount());
            String worker = WORKERS[rnd.nextInt(WORKERS.length)];
            int maxKeys = 1 + rnd.nextInt(4);
            int batch = 1 + rnd.nextInt(4);
            boolean expired = rnd.nextInt(4) == 0;
            op = "claim p" + partition + " " + worker + " max " + maxKeys + " batch " + batch + (expired ? " expired" : "");
            Claim claim = queue.claim(partition, worker, maxKeys, expired ? Duration.ZERO : LONG, batch);
            if (model.paused) {
                assertThat(claim.paused()).isTrue();
                assertThat(claim.keys()).isEmpty();
                return;
            }
            List<String> due = model.dueKeys(partition, queue);
            assertThat(claim.keys()).as("keys granted").hasSize(Math.min(maxKeys, due.size()));
            for (ClaimedKey granted : claim.keys()) {
                String key = granted.lease().key();
                assertThat(due).as("granted key was due").contains(key);
                assertThat(ids(granted.jobs())).as("first jobs of " + key).isEqualTo(model.head(key, 0, batch));
                assertThat(granted.jobs().getFirst().attempt()).as("head attempt")
                        .isEqualTo(model.attempts.getOrDefault(key, 0) + 1);
                model.claimed(granted, expired);
            }
        }

        void ack() {
            String key = anyLeasedKey();
            if (key == null) {
                claim();
                return;
            }
            Held held = model.leases.get(key);
            int n = 1 + rnd.nextInt(held.handedOut.size());
            int skip = held.handedOut.size() - n;
            int batch = 1 + rnd.nextInt(3);
            boolean expired = rnd.nextInt(5) == 0;
            List<Long> acked = List.copyOf(held.handedOut.subList(0, n));
            op = "ack " + key + " " + acked + " skip " + skip + " batch " + batch;
            AckResult result = queue.ack(held.lease, acked, expired ? Duration.ZERO : LONG, batch, skip);
            String expected = model.ack(key, n);
            assertThat(result.status().name()).isEqualTo(expected);
            if (result.status() == ScriptStatus.CONTINUE) {
                assertThat(ids(result.nextJobs())).as("next jobs").isEqualTo(model.head(key, skip, batch));
                held.handedOut.addAll(ids(result.nextJobs()));
                held.expired = expired;
            }
        }

        /** A call from a stale or impostor holder: refused, and (checked by compare) nothing changes. */
        void staleCall() {
            String key = anyLeasedKey();
            Lease lease;
            List<Long> head;
            ScriptStatus expected = ScriptStatus.STALE;
            int kind = rnd.nextInt(4);
            if (kind == 0 && !oldLeases.isEmpty()) {
                lease = oldLeases.get(rnd.nextInt(oldLeases.size()));
                head = model.head(lease.key(), 0, 1);
                if (head.isEmpty()) {
                    head = List.of(1024L);
                }
            } else if (key != null) {
                Lease real = model.leases.get(key).lease;
                head = List.of(model.leases.get(key).handedOut.getFirst());
                switch (kind) {
                    case 1 -> lease = new Lease(key, real.partition(), real.fence() - 1 - rnd.nextInt(3), real.workerId(), 0);
                    case 2 -> lease = new Lease(key, real.partition(), real.fence(), real.workerId() + "-impostor", 0);
                    default -> {
                        lease = real;
                        head = List.of(head.getFirst() + 1);
                        expected = ScriptStatus.HEAD_MISMATCH;
                    }
                }
            } else {
                return;
            }
            op = "stale " + kind + " " + lease + " head " + head;
            switch (rnd.nextInt(4)) {
                case 0 -> assertThat(queue.ack(lease, head, LONG, 2, 0).status()).isEqualTo(expected);
                case 1 -> assertThat(queue.fail(lease, head.getFirst(), "stale", true, Duration.ZERO).status())
                        .isEqualTo(expected);
                case 2 -> {
                    if (expected == ScriptStatus.STALE) {
                        assertThat(queue.release(lease)).isFalse();
                    }
                }
                default -> {
                    if (expected == ScriptStatus.STALE) {
                        assertThat(queue.renew(List.of(lease), LONG)).isEmpty();
                    }
                }
            }
        }

        void renew() {
            List<Lease> asked = new ArrayList<>();
            Set<String> current = new HashSet<>();
            for (Held held : model.leases.values()) {
                if (rnd.nextBoolean()) {
                    asked.add(held.lease);
                    current.add(held.lease.key() + "#" + held.lease.fence());
                }
            }
            if (!oldLeases.isEmpty() && rnd.nextBoolean()) {
                asked.add(oldLeases.get(rnd.nextInt(oldLeases.size())));
            }
            boolean expire = rnd.nextInt(5) == 0;
            op = "renew " + asked.size() + (expire ? " to now" : "");
            List<Lease> held = queue.renew(asked, expire ? Duration.ZERO : LONG);
            assertThat(held.stream().map(l -> l.key() + "#" + l.fence()).collect(Collectors.toSet())).isEqualTo(current);
            for (Lease l : held) {
                model.leases.get(l.key()).expired = expire;
            }
        }

        void fail() {
            String key = anyLeasedKey();
            if (key == null) {
                return;
            }
            Held held = model.leases.get(key);
            boolean retryable = rnd.nextInt(4) != 0;
            boolean longDelay = rnd.nextInt(5) == 0;
            long head = held.handedOut.getFirst();
            op = "fail " + key + " job " + head + (retryable ? " retryable" : " fatal") + (longDelay ? " long delay" : "");
            FailResult result = queue.fail(held.lease, head, "error at step " + step, retryable,
                    longDelay ? Duration.ofHours(1) : Duration.ZERO);
            assertThat(result.status().name()).isEqualTo(model.fail(key, retryable, longDelay));
        }

        void release() {
            String key = anyLeasedKey();
            if (key == null) {
                return;
            }
            op = "release " + key;
            assertThat(queue.release(model.leases.get(key).lease)).isTrue();
            model.release(key);
        }

        void sweep() {
            int partition = rnd.nextInt(queue.partitionCount());
            op = "sweep p" + partition;
            SweepResult result = queue.sweep(partition, 1000);
            assertThat(result.swept()).isEqualTo(model.sweep(partition, queue));
        }

        void park() {
            String key = anyKey();
            op = "park " + key;
            assertThat(queue.park(key, "step " + step).name()).isEqualTo(model.park(key));
        }

        void unpark() {
            String key = rnd.nextBoolean() ? anyKey() : model.places.entrySet().stream()
                    .filter(e -> e.getValue() == Place.PARKED).map(Map.Entry::getKey).findFirst().orElse(anyKey());
            op = "unpark " + key;
            assertThat(queue.unpark(key)).isEqualTo(model.unpark(key));
        }

        void replay() {
            String key = rnd.nextBoolean() ? null : anyKey();
            boolean toHead = rnd.nextBoolean();
            op = "replay " + key + (toHead ? " to head" : " to tail");
            assertThat(queue.replayDead(key, toHead, 10_000)).isEqualTo(model.replay(key, toHead));
        }

        void purge() {
            String key = rnd.nextInt(4) == 0 ? null : anyKey();
            op = "purge " + key;
            assertThat(queue.purgeDead(key, 10_000)).isEqualTo(model.purge(key));
        }

        void pauseOrResume() {
            op = model.paused ? "resume" : "pause";
            if (model.paused) {
                queue.resume();
            } else {
                queue.pause();
            }
            model.paused = !model.paused;
        }

        /** Redis and the model agree, and the invariant holds. */
        void compare() {
            RedisState s = InvariantChecker.check(redis.client(), queue.keys(), "invariant");
            long now = queue.redisTimeMs();
            Map<String, List<Long>> modelQueues = new TreeMap<>();
            model.queues.forEach((k, q) -> modelQueues.put(k, List.copyOf(q)));
            assertThat(s.queues()).as("pending jobs per key").isEqualTo(modelQueues);
            assertThat(s.ready().keySet()).as("ready").isEqualTo(keysIn(Place.READY, Place.DELAYED));
            Set<String> delayed = s.ready().entrySet().stream().filter(e -> e.getValue() > now + DELAYED_BEYOND_MS)
                    .map(Map.Entry::getKey).collect(Collectors.toCollection(TreeSet::new));
            assertThat(delayed).as("delayed").isEqualTo(keysIn(Place.DELAYED));
            assertThat(s.leases().keySet()).as("leases").isEqualTo(keysIn(Place.LEASED));
            assertThat(s.leases().keySet()).isEqualTo(model.leases.keySet());
            model.leases.forEach((k, held) -> {
                assertThat(s.owners().get(k)).as("owner of " + k)
                        .startsWith(held.lease.fence() + "|").endsWith("|" + held.lease.workerId());
                assertThat(s.leases().get(k) <= now).as("lease of " + k + " expired").isEqualTo(held.expired);
            });
            assertThat(s.parked().keySet()).as("parked").isEqualTo(keysIn(Place.PARKED));
            Map<String, String> attempts = new TreeMap<>();
            model.attempts.forEach((k, v) -> attempts.put(k, Integer.toString(v)));
            assertThat(s.attempts()).as("attempts").isEqualTo(attempts);
            // Each partition has its own dead-letter stream; RedisState lists them partition by partition.
            List<Long> dead = new ArrayList<>();
            for (int p = 0; p < queue.partitionCount(); p++) {
                int partition = p;
                model.dlq.stream().filter(d -> queue.partitionOf(d.key()) == partition).forEach(d -> dead.add(d.id()));
            }
            assertThat(s.dlqJobIds()).as("dead jobs").isEqualTo(dead);
            assertThat(s.paused()).as("paused").isEqualTo(model.paused);
        }

        Set<String> keysIn(Place... places) {
            Set<Place> wanted = Set.of(places);
            return model.places.entrySet().stream().filter(e -> wanted.contains(e.getValue()))
                    .map(Map.Entry::getKey).collect(Collectors.toCollection(TreeSet::new));
        }

        static List<Long> ids(List<Job> jobs) {
            return QueueTestSupport.ids(jobs);
        }
    }
}
