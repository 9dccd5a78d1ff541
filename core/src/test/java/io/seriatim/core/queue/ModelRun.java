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

/**
 * One model-based randomised run: picks random operations, applies each to a real Redis (through
 * {@link KeyedQueue}) and to {@link QueueModel}, and after every step compares the two, checks
 * the {@link InvariantChecker} and the per-key order ({@link StrandOrder}).
 *
 * <p>Everything is deterministic for a seed: expiry is a lease of 0 ms (its deadline is Redis'
 * "now", so the next sweep takes it) and a backoff is either 0 or an hour, so nothing waits.
 * A failure names the seed and the step: {@code -Dseriatim.seed=<seed>} replays it.
 */
final class ModelRun {
    static final Duration LONG = Duration.ofMinutes(5);
    static final Duration LONG_DELAY = Duration.ofHours(1);
    static final long DELAYED_BEYOND_MS = Duration.ofMinutes(10).toMillis();
    static final String[] WORKERS = {"w1", "w2", "w3"};

    private final RedisExtension redis;
    private final KeyedQueue queue;
    private final Random rnd;
    private final long seed;
    private final QueueModel model;
    private final StrandOrder order = new StrandOrder();
    private final List<String> keys = new ArrayList<>();
    private final List<Lease> oldLeases = new ArrayList<>();
    /** Dedup ids used so far, each with the key it was used on. */
    private final List<String[]> dedupIds = new ArrayList<>();
    private final Map<String, Integer> outcomes = new TreeMap<>();
    private List<QueueModel.Dead> lastDlq = List.of();
    private Boolean replayedToHead; // set by a replay step, for the DLQ bookkeeping after it
    private Set<String> leasedAtReplay = Set.of();
    /**
     * The one-at-a-time promise, kept apart from the model: per key, the last holder granted,
     * until its own call ended its lease. A claim of the key while that holder's lease has not
     * expired would start a second run beside it (what a park that ended leases allowed).
     */
    private final Map<String, Held> running = new TreeMap<>();
    private int step;
    private String op = "";

    private ModelRun(RedisExtension redis, KeyedQueue queue, long seed) {
        this.redis = redis;
        this.queue = queue;
        this.rnd = new Random(seed);
        this.seed = seed;
        NamespaceSettings s = queue.settings();
        this.model = new QueueModel(s.maxAttempts(), s.failurePolicy(), s.fairnessJobs());
        for (int i = 0; i < 20; i++) {
            keys.add("k" + i);
        }
        keys.add("ключ-é"); // keys are UTF-8 strings, not ASCII
    }

    /** Steps per run: {@code -Dseriatim.steps}, 10,000 by default (what CI runs). */
    static int steps() {
        return Integer.getInteger("seriatim.steps", 10_000);
    }

    /**
     * Runs {@code steps} random steps on a fresh namespace. The fairness time budget is switched
     * off (the model has no clock); the budget in jobs stays as given.
     */
    static void run(RedisExtension redis, NamespaceSettings.Builder settings, int steps) {
        long seed = Long.getLong("seriatim.seed", System.nanoTime());
        KeyedQueue queue = KeyedQueue.open(redis.client(), settings.fairnessTime(Duration.ZERO).build());
        System.out.printf("model run: seed=%d steps=%d on Redis %s, %s (replay: -Dseriatim.seed=%d)%n", seed, steps,
                redis.server().version(), queue.settings(), seed);
        ModelRun run = new ModelRun(redis, queue, seed);
        run.run(steps);
        System.out.println("  outcomes: " + run.outcomes);
        if (steps >= 2_000) {
            run.assertCoverage();
        }
    }

    private void run(int steps) {
        for (step = 0; step < steps; step++) {
            Map<String, Held> leasesBefore = new TreeMap<>(model.leases);
            Set<String> stagedBefore = new TreeSet<>(model.staged.keySet());
            replayedToHead = null;
            op = "(choosing)";
            try {
                stepOnce();
                stagedBefore.stream().filter(k -> !model.staged.containsKey(k)).forEach(order::leaseEnded);
                RedisState s = compare();
                followDeadLetters(s);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("seed=" + seed + " step=" + step + " op=" + op + ": " + e.getMessage()
                        + "\n(replay: -Dseriatim.seed=" + seed + ")", e);
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

    /** Picks one operation; the mix keeps keys going idle and busy again, and pauses short. */
    private void stepOnce() {
        if (model.paused && rnd.nextInt(8) == 0) {
            pauseOrResume();
            return;
        }
        int r = rnd.nextInt(100);
        if (r < 15) {
            enqueue();
        } else if (r < 30) {
            claim();
        } else if (r < 54) {
            ack();
        } else if (r < 59) {
            staleCall();
        } else if (r < 63) {
            renew();
        } else if (r < 71) {
            fail();
        } else if (r < 74) {
            release();
        } else if (r < 81) {
            sweep();
        } else if (r < 85) {
            park();
        } else if (r < 89) {
            unpark();
        } else if (r < 94) {
            replay();
        } else if (r < 97) {
            purge();
        } else {
            pauseOrResume();
        }
    }

    // ---------------------------------------------------------------- operations

    private void enqueue() {
        int requests = rnd.nextInt(4) == 0 ? 2 + rnd.nextInt(2) : 1;
        List<EnqueueRequest> batch = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            batch.add(newRequest());
        }
        op = "enqueue " + batch.stream().map(q -> q.key() + " x" + q.jobs().size()
                + (q.dedupId() == null ? "" : " dedup " + q.dedupId())).toList();
        List<EnqueueResult> results = requests == 1 && rnd.nextBoolean() ? List.of(queue.enqueue(batch.getFirst()))
                : queue.enqueueAll(batch);
        for (int i = 0; i < requests; i++) {
            EnqueueRequest request = batch.get(i);
            EnqueueResult result = results.get(i);
            String scoped = request.key() + "\n" + request.dedupId(); // a dedup id is remembered per key
            boolean duplicate = request.dedupId() != null && model.dedup.containsKey(scoped);
            assertThat(result.duplicate()).as("duplicate").isEqualTo(duplicate);
            note("enqueue " + (duplicate ? "DUPLICATE" : "ENQUEUED"));
            if (duplicate) {
                assertThat(result.jobIds()).as("ids of the original").isEqualTo(model.dedup.get(scoped));
                continue;
            }
            if (request.dedupId() != null) {
                model.dedup.put(scoped, result.jobIds());
                dedupIds.add(new String[] {request.key(), request.dedupId()});
            }
            model.enqueue(request.key(), result.jobIds());
            order.submitted(request.key(), result.jobIds());
        }
    }

    private EnqueueRequest newRequest() {
        String key = anyKey();
        String dedup = null;
        if (rnd.nextInt(5) == 0) {
            if (!dedupIds.isEmpty() && rnd.nextBoolean()) {
                // An id used before, half the time on its own key (a resend: a duplicate while the
                // id lives) and half on any key (ids are scoped per key: usually no duplicate).
                String[] used = dedupIds.get(rnd.nextInt(dedupIds.size()));
                dedup = used[1];
                key = rnd.nextBoolean() ? used[0] : key;
            } else {
                dedup = "d" + step + "." + rnd.nextInt(1000);
            }
        }
        List<NewJob> jobs = new ArrayList<>();
        for (int i = 1 + rnd.nextInt(3); i > 0; i--) {
            jobs.add(NewJob.of((key + "@" + step + "." + i).getBytes(UTF_8)));
        }
        return new EnqueueRequest(key, jobs, dedup);
    }

    private void claim() {
        int partition = rnd.nextInt(queue.partitionCount());
        String worker = WORKERS[rnd.nextInt(WORKERS.length)];
        int maxKeys = 1 + rnd.nextInt(4);
        int batch = 1 + rnd.nextInt(4);
        boolean expired = rnd.nextInt(4) == 0;
        op = "claim p" + partition + " " + worker + " max " + maxKeys + " batch " + batch + (expired ? " expired" : "");
        Claim claim = queue.claim(partition, worker, maxKeys, expired ? Duration.ZERO : LONG, batch);
        if (model.paused) {
            assertThat(claim.paused()).as("paused").isTrue();
            assertThat(claim.keys()).isEmpty();
            note("claim PAUSED");
            return;
        }
        List<String> due = model.dueKeys(p -> p == partition, queue::partitionOf);
        assertThat(claim.keys()).as("keys granted").hasSize(Math.min(maxKeys, due.size()));
        note(claim.keys().isEmpty() ? "claim NOTHING" : "claim GRANTED");
        for (ClaimedKey granted : claim.keys()) {
            String key = granted.lease().key();
            Lease lease = granted.lease();
            assertThat(due).as("granted key was due").contains(key);
            assertThat(lease.partition()).as("partition of " + key).isEqualTo(partition);
            assertThat(lease.workerId()).isEqualTo(worker);
            assertThat(lease.deadlineMs()).isEqualTo(claim.redisTimeMs() + (expired ? 0 : LONG.toMillis()));
            assertThat(ids(granted.jobs())).as("first jobs of " + key).isEqualTo(model.head(key, 0, batch));
            assertThat(granted.jobs().getFirst().attempt()).as("head attempt")
                    .isEqualTo(model.attempts.getOrDefault(key, 0) + 1);
            Held before = running.get(key);
            assertThat(before == null || before.deadlineMs <= claim.redisTimeMs())
                    .as("%s granted while %s may still run it (lease until %s)", key, before == null ? null : before.lease,
                            before == null ? null : before.deadlineMs)
                    .isTrue();
            order.handedOut(key, List.of(), ids(granted.jobs()));
            model.claimed(granted, expired);
            running.put(key, model.leases.get(key));
        }
    }

    private void ack() {
        String key = anyKeyInHand();
        if (key == null) {
            claim();
            return;
        }
        Held held = model.leases.get(key);
        int n = 1 + rnd.nextInt(held.handedOut.size());
        int skip = held.handedOut.size() - n;
        int batch = rnd.nextInt(4);
        boolean expired = rnd.nextInt(5) == 0;
        List<Long> acked = List.copyOf(held.handedOut.subList(0, n));
        op = "ack " + key + " " + acked + " skip " + skip + " batch " + batch + (expired ? " expired" : "");
        AckResult result = queue.ack(held.lease, acked, expired ? Duration.ZERO : LONG, batch, skip);
        String expected = model.ack(key, n);
        assertThat(result.status().name()).as("ack").isEqualTo(expected);
        note("ack " + expected);
        acked.forEach(order::done);
        if (result.status() != ScriptStatus.CONTINUE) {
            running.remove(key);
        }
        if (result.status() == ScriptStatus.CONTINUE) {
            assertThat(ids(result.nextJobs())).as("next jobs").isEqualTo(model.head(key, skip, batch));
            order.handedOut(key, held.handedOut, ids(result.nextJobs()));
            held.handedOut.addAll(ids(result.nextJobs()));
            held.deadlineMs = result.deadlineMs();
            held.expired = expired;
        }
    }

    /** A call from a stale or foreign holder, or with the wrong head: refused, and not one byte changes. */
    private void staleCall() {
        String key = anyKeyInHand();
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
            Held held = model.leases.get(key);
            Lease real = held.lease;
            head = List.of(held.handedOut.getFirst());
            switch (kind) {
                case 1 -> lease = new Lease(key, real.partition(), real.fence() - 1 - rnd.nextInt(3), real.workerId(), 0);
                case 2 -> lease = new Lease(key, real.partition(), real.fence(), otherWorker(real.workerId()), 0);
                default -> {
                    lease = real;
                    head = List.of(head.getFirst() + 1024); // the next id of the partition: never the head
                    expected = ScriptStatus.HEAD_MISMATCH;
                }
            }
        } else {
            return;
        }
        int call = rnd.nextInt(expected == ScriptStatus.STALE ? 4 : 2);
        op = "stale " + List.of("ack", "fail", "release", "renew").get(call) + " " + lease + " head " + head;
        Lease l = lease;
        long h = head.getFirst();
        List<Long> heads = head;
        RedisDump before = RedisDump.of(redis.client());
        switch (call) {
            case 0 -> assertThat(queue.ack(l, heads, LONG, 2, 0).status()).isEqualTo(expected);
            case 1 -> assertThat(queue.fail(l, h, "stale", true, Duration.ZERO).status()).isEqualTo(expected);
            case 2 -> assertThat(queue.release(l)).isFalse();
            default -> assertThat(queue.renew(List.of(l), LONG).stale()).containsExactly(l);
        }
        // Without the id blocks' markers: one written more than their 30 s ago may expire between the dumps.
        assertThat(RedisDump.of(redis.client()).withoutIdBlocks()).as("Redis after a refused call")
                .isEqualTo(before.withoutIdBlocks());
        note("stale " + expected);
    }

    private void renew() {
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
        Renewal renewal = queue.renew(asked, expire ? Duration.ZERO : LONG);
        assertThat(renewal.failed()).as("failed renewals").isEmpty();
        List<Lease> renewed = renewal.renewed();
        assertThat(renewed.stream().map(l -> l.key() + "#" + l.fence()).collect(Collectors.toSet()))
                .as("renewed").isEqualTo(current);
        for (Lease l : renewed) {
            Held held = model.leases.get(l.key());
            held.expired = expire;
            held.deadlineMs = l.deadlineMs();
        }
        note(renewed.size() < asked.size() ? "renew WITH STALE" : "renew ALL HELD");
    }

    private void fail() {
        String key = anyKeyInHand();
        if (key == null) {
            return;
        }
        Held held = model.leases.get(key);
        boolean retryable = rnd.nextInt(4) != 0;
        boolean longDelay = rnd.nextInt(8) == 0;
        long head = held.handedOut.getFirst();
        op = "fail " + key + " job " + head + (retryable ? " retryable" : " fatal") + (longDelay ? " long delay" : "");
        int tries = model.attempts.getOrDefault(key, 0) + 1;
        FailResult result = queue.fail(held.lease, head, "error at step " + step, retryable,
                longDelay ? LONG_DELAY : Duration.ZERO);
        String expected = model.fail(key, retryable, longDelay);
        running.remove(key);
        assertThat(result.status().name()).as("fail").isEqualTo(expected);
        assertThat(result.attempts()).as("attempts").isEqualTo(tries);
        note("fail " + expected);
    }

    private void release() {
        String key = anyLeasedKey();
        if (key == null) {
            return;
        }
        op = "release " + key;
        assertThat(queue.release(model.leases.get(key).lease)).as("released").isTrue();
        model.release(key);
        running.remove(key);
        note("release OK");
    }

    private void sweep() {
        int partition = rnd.nextInt(queue.partitionCount());
        op = "sweep p" + partition;
        SweepResult result = queue.sweep(partition, 1000);
        int expected = model.sweep(p -> p == partition, queue::partitionOf);
        assertThat(result.swept()).as("swept").isEqualTo(expected);
        note(expected > 0 ? "sweep EXPIRED" : "sweep NOTHING");
    }

    private void park() {
        String key = anyKey();
        op = "park " + key;
        String expected = model.park(key);
        ParkResult result = queue.park(key, "step " + step);
        assertThat(result.status().name()).as("park").isEqualTo(expected);
        if (result.waitsForHolder()) {
            Held held = model.leases.get(key);
            assertThat(result).as("the holder it waits for")
                    .isEqualTo(new ParkResult(ScriptStatus.DEFERRED, held.lease.fence(), held.lease.workerId(), held.deadlineMs));
        }
        note("park " + expected);
        // A waiting park is seldom still waiting when a random unpark comes (the holder's next ack
        // settles it): withdraw the first one at once, and some later ones, so that every run
        // covers the withdrawal whatever its seed.
        if (result.waitsForHolder() && (!outcomes.containsKey("unpark CANCELLED") || rnd.nextInt(4) == 0)) {
            op = "unpark " + key + " (its park waits)";
            String withdrawn = model.unpark(key);
            assertThat(queue.unpark(key).name()).as("unparked").isEqualTo(withdrawn);
            note("unpark " + withdrawn);
        }
    }

    private void unpark() {
        // Often a key held now, or one whose park still waits for its holder (under a tight
        // fairness budget such a park seldom waits long, so it gets a draw of its own).
        List<String> parked = new ArrayList<>(keysIn(Place.PARKED));
        List<String> waiting = new ArrayList<>(model.parking.keySet());
        int draw = rnd.nextInt(3);
        String key = draw == 0 && !waiting.isEmpty() ? waiting.get(rnd.nextInt(waiting.size()))
                : draw == 1 && !parked.isEmpty() ? parked.get(rnd.nextInt(parked.size())) : anyKey();
        op = "unpark " + key;
        String expected = model.unpark(key);
        assertThat(queue.unpark(key).name()).as("unparked").isEqualTo(expected);
        note("unpark " + expected);
    }

    private void replay() {
        String key = rnd.nextBoolean() ? null : anyKey();
        boolean toHead = rnd.nextBoolean();
        op = "replay " + key + (toHead ? " to head" : " to tail");
        leasedAtReplay = new TreeSet<>(model.leases.keySet());
        long waiting = !toHead ? 0 : model.dlq.stream().map(QueueModel.Dead::key)
                .filter(k -> key == null || k.equals(key)).distinct().filter(model.leases::containsKey).count();
        long expected = model.replay(key, toHead);
        Replayed replayed = queue.replayDead(key, toHead, 10_000);
        assertThat(replayed).as("replayed").isEqualTo(new Replayed(expected, waiting));
        replayedToHead = toHead;
        note("replay " + (expected > 0 ? (toHead ? "TO HEAD" : "TO TAIL") : "NOTHING"));
        if (replayed.waitingKeys() > 0) {
            note("replay WAITING");
        }
    }

    private void purge() {
        String key = rnd.nextInt(4) == 0 ? null : anyKey();
        op = "purge " + key;
        long expected = model.purge(key);
        assertThat(queue.purgeDead(key, 10_000)).as("purged").isEqualTo(expected);
        note(expected > 0 ? "purge SOME" : "purge NOTHING");
    }

    private void pauseOrResume() {
        op = model.paused ? "resume" : "pause";
        if (model.paused) {
            queue.resume();
        } else {
            queue.pause();
        }
        model.paused = !model.paused;
        note(op);
    }

    // ---------------------------------------------------------------- comparing

    /** Redis and the model agree, and the invariant holds. */
    private RedisState compare() {
        RedisState s = InvariantChecker.check(redis.client(), queue.keys(), "invariant");
        long now = queue.redisTimeMs();
        Map<String, List<Long>> modelQueues = new TreeMap<>();
        model.queues.forEach((k, q) -> modelQueues.put(k, List.copyOf(q)));
        assertThat(s.queues()).as("pending jobs per key").isEqualTo(modelQueues);
        assertThat(s.ready().keySet()).as("ready").isEqualTo(keysIn(Place.READY, Place.DELAYED));
        s.ready().forEach((k, at) -> assertThat(at > now + DELAYED_BEYOND_MS).as("%s delayed", k)
                .isEqualTo(model.places.get(k) == Place.DELAYED));
        keysIn(Place.READY).forEach(k -> assertThat(s.ready().get(k)).as("%s due", k).isLessThanOrEqualTo((double) now));
        assertThat(s.leases().keySet()).as("leases").isEqualTo(keysIn(Place.LEASED)).isEqualTo(model.leases.keySet());
        model.leases.forEach((k, held) -> {
            assertThat(s.leases().get(k)).as("deadline of " + k).isEqualTo((double) held.deadlineMs);
            assertThat(held.deadlineMs <= now).as("lease of " + k + " expired").isEqualTo(held.expired);
            assertThat(s.owners().get(k)).as("owner of " + k).startsWith(held.lease.fence() + "|")
                    .endsWith("|" + held.jobsRun + "|" + held.lease.workerId());
        });
        assertThat(s.parked().keySet()).as("parked").isEqualTo(keysIn(Place.PARKED));
        Map<String, String> attempts = new TreeMap<>();
        model.attempts.forEach((k, v) -> attempts.put(k, Integer.toString(v)));
        assertThat(s.attempts()).as("attempts").isEqualTo(attempts);
        assertThat(s.dlqJobIds()).as("dead jobs, partition by partition").isEqualTo(modelDlqByPartition());
        assertThat(nonZero(s.stats())).as("stats").isEqualTo(nonZero(model.stats));
        assertThat(s.paused()).as("paused").isEqualTo(model.paused);
        assertThat(s.deferred().entrySet().stream().filter(e -> e.getValue().startsWith("1")).map(Map.Entry::getKey)
                .collect(Collectors.toSet())).as("parks waiting").isEqualTo(model.parking.keySet());
        Map<String, List<Long>> staged = new TreeMap<>();
        model.staged.forEach((k, q) -> staged.put(k, List.copyOf(q)));
        assertThat(s.staged()).as("replays waiting").isEqualTo(staged);
        return s;
    }

    /** Jobs that entered the DLQ since the last step are done; jobs a replay took out are back in their strand. */
    private void followDeadLetters(RedisState s) {
        List<QueueModel.Dead> dlq = new ArrayList<>();
        for (int i = 0; i < s.dlqJobIds().size(); i++) {
            dlq.add(new QueueModel.Dead(s.dlqKeys().get(i), s.dlqJobIds().get(i)));
        }
        Set<QueueModel.Dead> before = new HashSet<>(lastDlq);
        Set<QueueModel.Dead> after = new HashSet<>(dlq);
        dlq.stream().filter(d -> !before.contains(d)).forEach(d -> order.done(d.id()));
        if (replayedToHead != null) {
            Map<String, List<Long>> replayed = new TreeMap<>();
            lastDlq.stream().filter(d -> !after.contains(d))
                    .forEach(d -> replayed.computeIfAbsent(d.key(), k -> new ArrayList<>()).add(d.id()));
            replayed.forEach((key, ids) -> {
                if (replayedToHead && leasedAtReplay.contains(key)) {
                    order.waiting(key, ids);
                } else {
                    order.replayed(key, ids, replayedToHead);
                }
            });
        }
        lastDlq = dlq;
        model.queues.forEach((key, q) -> assertThat(order.pending(key)).as("strand order of " + key)
                .isEqualTo(List.copyOf(q)));
    }

    private List<Long> modelDlqByPartition() {
        List<Long> dead = new ArrayList<>();
        for (int p = 0; p < queue.partitionCount(); p++) {
            int partition = p;
            model.dlq.stream().filter(d -> queue.partitionOf(d.key()) == partition).forEach(d -> dead.add(d.id()));
        }
        return dead;
    }

    /** Each kind of outcome happened at least once: a long run that never got there tests less than it says. */
    private void assertCoverage() {
        List<String> wanted = new ArrayList<>(List.of("enqueue ENQUEUED", "enqueue DUPLICATE", "claim GRANTED",
                "claim PAUSED", "ack CONTINUE", "ack RELEASED", "stale STALE", "stale HEAD_MISMATCH",
                "sweep EXPIRED", "release OK", "park OK", "park ALREADY_PARKED", "park NOT_FOUND", "park DEFERRED",
                "unpark OK", "unpark CANCELLED", "ack HANDED_OVER",
                "replay TO HEAD", "replay TO TAIL", "purge SOME", "renew WITH STALE", "renew ALL HELD"));
        wanted.add(model.policy == FailurePolicy.SKIP ? "fail DEAD" : "fail PARKED");
        if (model.maxAttempts > 1) {
            wanted.add("fail RETRY");
        }
        if (model.fairnessJobs > 0) {
            wanted.add("ack YIELDED");
        }
        if (model.policy == FailurePolicy.PARK) {
            wanted.removeAll(List.of("replay TO HEAD", "replay TO TAIL", "purge SOME"));
        } else {
            wanted.add("replay WAITING");
        }
        assertThat(outcomes.keySet()).as("seed=%d: outcomes seen", seed).containsAll(wanted);
    }

    // ---------------------------------------------------------------- helpers

    private void note(String outcome) {
        outcomes.merge(outcome, 1, Integer::sum);
    }

    private String anyKey() {
        return keys.get(rnd.nextInt(keys.size()));
    }

    private String anyLeasedKey() {
        List<String> leased = new ArrayList<>(model.leases.keySet());
        return leased.isEmpty() ? null : leased.get(rnd.nextInt(leased.size()));
    }

    /** A leased key whose holder has jobs in hand (an ack with batch 0 can leave it none). */
    private String anyKeyInHand() {
        List<String> holding = model.leases.entrySet().stream().filter(e -> !e.getValue().handedOut.isEmpty())
                .map(Map.Entry::getKey).toList();
        return holding.isEmpty() ? null : holding.get(rnd.nextInt(holding.size()));
    }

    private String otherWorker(String worker) {
        return rnd.nextBoolean() ? worker + "-impostor" : WORKERS[(List.of(WORKERS).indexOf(worker) + 1) % WORKERS.length];
    }

    private Set<String> keysIn(Place... places) {
        Set<Place> wanted = Set.of(places);
        return model.places.entrySet().stream().filter(e -> wanted.contains(e.getValue()))
                .map(Map.Entry::getKey).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Map<String, Long> nonZero(Map<String, Long> counters) {
        Map<String, Long> out = new TreeMap<>(counters);
        out.values().removeIf(v -> v == 0);
        return out;
    }

    private static List<Long> ids(List<Job> jobs) {
        return QueueTestSupport.ids(jobs);
    }
}
