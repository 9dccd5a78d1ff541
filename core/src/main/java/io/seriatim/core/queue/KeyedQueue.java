package io.seriatim.core.queue;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.seriatim.core.keys.NamespaceKeys;
import io.seriatim.core.keys.PartitionKeys;
import io.seriatim.core.redis.RedisErrors;
import io.seriatim.core.redis.RedisUnavailableException;
import io.seriatim.core.script.Script;
import io.seriatim.core.script.ScriptRunner;
import io.seriatim.core.script.ScriptStatus;
import io.seriatim.core.settings.NamespaceRegistry;
import io.seriatim.core.settings.NamespaceSettings;
import io.seriatim.core.settings.StatedSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.resps.Tuple;

/**
 * The operations of one namespace, each one Lua script run atomically in Redis (see
 * {@link Script} and {@code docs/redis-layout.md}). This class validates input, builds the
 * keys and arguments, and decodes replies; the scripts keep the invariants.
 *
 * <p>Thread-safe and stateless beyond its settings: share one per namespace. It does not own
 * the Redis client it is given; whoever created the client closes it.
 *
 * <pre>{@code
 * try (RedisClient redis = RedisClient.create("redis://127.0.0.1:6379")) {
 *     KeyedQueue comments = KeyedQueue.open(redis, NamespaceSettings.builder("comments").build());
 *     comments.enqueue(EnqueueRequest.of("post-A", "first".getBytes()));
 * }
 * }</pre>
 */
public final class KeyedQueue {
    /** Most jobs in one enqueue_many call: bounds how long one call keeps Redis busy (a few ms). */
    static final int MAX_JOBS_PER_ENQUEUE_MANY = 5000;

    private final NamespaceSettings settings;
    private final NamespaceKeys keys;
    private final ScriptRunner scripts;
    private final JobValidator validator;
    private final IdBlocks idBlocks;

    private KeyedQueue(UnifiedJedis redis, NamespaceSettings settings) {
        this.settings = settings;
        this.keys = new NamespaceKeys(settings.name(), settings.partitions());
        this.scripts = new ScriptRunner(redis);
        this.validator = new JobValidator(settings);
        this.idBlocks = new IdBlocks(scripts, keys);
    }

    /**
     * Opens a namespace with exactly these settings, registering it on first use. Fails if it
     * exists with other settings (see {@link #open(UnifiedJedis, StatedSettings)}).
     */
    public static KeyedQueue open(UnifiedJedis redis, NamespaceSettings settings) {
        return open(redis, StatedSettings.all(settings));
    }

    /**
     * Opens a namespace, registering it with {@code stated.values()} on first use, with the
     * settings stored in Redis, which are the namespace's.
     *
     * @throws io.seriatim.core.settings.SettingsConflictException if a stated setting differs from
     *         the stored one
     */
    public static KeyedQueue open(UnifiedJedis redis, StatedSettings stated) {
        return new KeyedQueue(redis, new NamespaceRegistry(redis).open(stated));
    }

    /**
     * Opens a namespace that must already exist (as a gateway does for a client's submit), with
     * the settings stored in Redis.
     *
     * @throws UnknownNamespaceException if it was never registered
     */
    public static KeyedQueue openExisting(UnifiedJedis redis, String name) {
        return new KeyedQueue(redis, new NamespaceRegistry(redis).read(name)
                .orElseThrow(() -> new UnknownNamespaceException(name)).settings());
    }

    public NamespaceSettings settings() {
        return settings;
    }

    public NamespaceKeys keys() {
        return keys;
    }

    public int partitionCount() {
        return keys.partitionCount();
    }

    public int partitionOf(String key) {
        return keys.partitionIndex(key);
    }

    public JobValidator validator() {
        return validator;
    }

    // ---------------------------------------------------------------- submit

    /** Appends one key's jobs in order; see {@link #enqueueAll(List)} for many keys at once. */
    public EnqueueResult enqueue(EnqueueRequest request) {
        validator.check(request);
        ScriptRunner.Call call = enqueueCall(request);
        return enqueueResult(request, scripts.run(call.script(), call.keys(), call.args()));
    }

    /**
     * Enqueues many requests in one pipeline. All are validated first, so an invalid request
     * fails the whole batch before anything is written. Requests of one key are applied in list
     * order. A reply that failed inside Redis (e.g. OOM under {@code maxmemory}) is thrown.
     */
    public List<EnqueueResult> enqueueAll(List<EnqueueRequest> requests) {
        return enqueueAll(requests, null, 0, Duration.ZERO);
    }

    /**
     * As {@link #enqueueAll(List)}, with one dedup id for the whole batch, then waits until
     * {@code replicas} replicas have the writes (Redis WAIT, at most {@code timeout}).
     *
     * @param batchDedupId covers every request without its own dedup id: the same requests sent
     *                     again with the same batch id within the dedup window enqueue nothing and
     *                     answer the original ids (each script call of the batch keeps one small
     *                     key for it); null for none
     * @throws NotReplicatedException if fewer replicas confirmed in time: the jobs are in the
     *         primary, and a retry with the same dedup ids enqueues nothing twice
     */
    public List<EnqueueResult> enqueueAll(List<EnqueueRequest> requests, String batchDedupId, int replicas,
            Duration timeout) {
        requests.forEach(validator::check);
        if (batchDedupId != null) {
            validator.checkDedupId(batchDedupId);
        }
        if (requests.isEmpty()) {
            return List.of();
        }
        // One enqueue_many call per partition and chunk: requests keep their order within a
        // partition, and a key never spans partitions, so each key's order is kept.
        List<PlannedCall> plan = plan(requests);
        // A key may span two calls of its partition only in a batch of over 5,000 jobs for it.
        // Such calls go in waves, one pipeline each, and a failed wave stops the batch: were
        // call n refused (OOM) and call n+1 applied, the resend would put n after n+1. Each wave
        // is stamped just before it goes, and a call whose id block Redis has lost (IDS_LOST:
        // it wrote nothing) is stamped from a new block and sent again.
        Object[] replies = new Object[plan.size()];
        int waveCount = plan.stream().mapToInt(PlannedCall::wave).max().orElse(0) + 1;
        for (int w = 0; w < waveCount; w++) {
            List<Integer> pending = new ArrayList<>();
            for (int c = 0; c < plan.size(); c++) {
                if (plan.get(c).wave() == w) {
                    pending.add(c);
                }
            }
            for (int attempt = 1; !pending.isEmpty(); attempt++) {
                List<ScriptRunner.Call> calls = new ArrayList<>(pending.size());
                for (int c : pending) {
                    // The calls of a batch are the same on a resend (same requests, same
                    // split), so their index names them.
                    calls.add(enqueueManyCall(plan.get(c), requests, batchDedupId == null ? "" : batchDedupId + "#" + c));
                }
                List<Object> got = scripts.runAll(calls, replicas, timeout.toMillis());
                List<Integer> lost = new ArrayList<>();
                for (int i = 0; i < pending.size(); i++) {
                    int c = pending.get(i);
                    if (ScriptStatus.of(l((List<?>) got.get(i), 1)) == ScriptStatus.IDS_LOST) {
                        idBlocks.forget(plan.get(c).partition());
                        lost.add(c);
                    } else {
                        replies[c] = got.get(i);
                    }
                }
                if (replicas > 0) {
                    long reached = (Long) got.getLast();
                    if (reached < replicas) {
                        throw new NotReplicatedException(reached, replicas, timeout);
                    }
                }
                if (!lost.isEmpty() && attempt == 3) {
                    throw new RedisUnavailableException("Redis lost the id blocks of this batch three times in a row "
                            + "(restarting, failing over or being flushed?): nothing of the affected calls was written", null);
                }
                pending = lost;
            }
        }
        EnqueueResult[] out = new EnqueueResult[requests.size()];
        for (int c = 0; c < plan.size(); c++) {
            readEnqueueMany((List<?>) replies[c], plan.get(c), requests, out);
        }
        return List.of(out);
    }

    /** One enqueue_many call: its partition, its requests (indexes), their jobs, and its wave. */
    private record PlannedCall(int partition, int wave, List<Integer> members, int jobs) {}

    private List<PlannedCall> plan(List<EnqueueRequest> requests) {
        List<Integer> partitionOf = new ArrayList<>();
        List<Integer> waves = new ArrayList<>();
        List<List<Integer>> members = new ArrayList<>();
        List<Integer> jobs = new ArrayList<>();
        Map<Integer, Integer> openCall = new HashMap<>();
        Map<Integer, Integer> callsOfPartition = new HashMap<>();
        for (int r = 0; r < requests.size(); r++) {
            int n = requests.get(r).jobs().size();
            int p = keys.partitionIndex(requests.get(r).key());
            Integer c = openCall.get(p);
            if (c == null || jobs.get(c) + n > MAX_JOBS_PER_ENQUEUE_MANY) {
                c = members.size();
                partitionOf.add(p);
                waves.add(callsOfPartition.merge(p, 1, Integer::sum) - 1);
                members.add(new ArrayList<>());
                jobs.add(0);
                openCall.put(p, c);
            }
            members.get(c).add(r);
            jobs.set(c, jobs.get(c) + n);
        }
        List<PlannedCall> plan = new ArrayList<>(members.size());
        for (int c = 0; c < members.size(); c++) {
            plan.add(new PlannedCall(partitionOf.get(c), waves.get(c), members.get(c), jobs.get(c)));
        }
        return plan;
    }

    /** Stamps each job with its id (from a block of the partition's ids) and submit time. */
    private ScriptRunner.Call enqueueManyCall(PlannedCall call, List<EnqueueRequest> requests, String callDedupId) {
        PartitionKeys pk = keys.partition(call.partition());
        IdBlocks.Range ids = idBlocks.take(call.partition(), call.jobs());
        List<byte[]> a = new ArrayList<>(4 + 3 * call.members().size() + call.jobs());
        a.add(pk.prefixBytes());
        a.add(num(settings.dedupWindow().toMillis()));
        a.add(bytes(callDedupId));
        a.add(num(ids.firstSeq()));
        a.add(num(ids.blockFirst()));
        long seq = ids.firstSeq();
        for (int r : call.members()) {
            EnqueueRequest request = requests.get(r);
            a.add(bytes(request.key()));
            a.add(bytes(request.dedupId() == null ? "" : request.dedupId()));
            a.add(num(request.jobs().size()));
            for (NewJob job : request.jobs()) {
                a.add(JobCodec.encodeStored(job, JobIds.of(seq++, call.partition()), ids.redisTimeMs()));
            }
        }
        return new ScriptRunner.Call(Script.ENQUEUE_MANY, List.of(pk.ready(), pk.stats(), pk.bell()), a);
    }

    /**
     * Reads one enqueue_many answer: {now, callStatus, callFirst, then (ordinal, status, first,
     * count) for each group whose ids are not its place in the call's block, in ordinal order}.
     */
    private static void readEnqueueMany(List<?> r, PlannedCall call, List<EnqueueRequest> requests, EnqueueResult[] out) {
        long now = l(r, 0);
        boolean callDuplicate = ScriptStatus.of(l(r, 1)) == ScriptStatus.DUPLICATE;
        long cursor = l(r, 2);
        int next = 3; // the next exception's place in the answer
        for (int m = 0; m < call.members().size(); m++) {
            int index = call.members().get(m);
            EnqueueRequest request = requests.get(index);
            if (next < r.size() && l(r, next) == m + 1) {
                out[index] = new EnqueueResult(request.key(), call.partition(),
                        ScriptStatus.of(l(r, next + 1)) == ScriptStatus.DUPLICATE, l(r, next + 2), (int) l(r, next + 3), now);
                next += 4;
            } else {
                out[index] = new EnqueueResult(request.key(), call.partition(), callDuplicate, cursor, request.jobs().size(), now);
            }
            cursor += request.jobs().size();
        }
    }

    private ScriptRunner.Call enqueueCall(EnqueueRequest request) {
        PartitionKeys p = keys.partitionOf(request.key());
        List<byte[]> k = new ArrayList<>(6);
        k.add(p.ready());
        k.add(p.seq());
        k.add(p.stats());
        k.add(p.bell());
        k.add(p.queue(request.key()));
        if (request.dedupId() != null) {
            k.add(p.dedup(request.key(), request.dedupId()));
        }
        List<byte[]> a = new ArrayList<>(3 + request.jobs().size());
        a.add(bytes(request.key()));
        a.add(num(p.partition()));
        a.add(num(settings.dedupWindow().toMillis()));
        for (NewJob job : request.jobs()) {
            a.add(JobCodec.encodeBody(job));
        }
        return new ScriptRunner.Call(Script.ENQUEUE, k, a);
    }

    private EnqueueResult enqueueResult(EnqueueRequest request, Object reply) {
        List<?> r = (List<?>) reply;
        return new EnqueueResult(request.key(), keys.partitionIndex(request.key()),
                ScriptStatus.of(l(r, 0)) == ScriptStatus.DUPLICATE, l(r, 1), (int) l(r, 2), l(r, 3));
    }

    /**
     * Enqueues one key's jobs to run no earlier than {@code delay} from now (Redis clock). They get
     * their ids now and join the tail of the key's strand when due (see {@link #promoteDue}).
     */
    public EnqueueResult enqueueDelayed(EnqueueRequest request, Duration delay) {
        if (delay.isNegative()) {
            throw new InvalidJobException("delay must be >= 0, got " + delay);
        }
        if (delay.isZero()) {
            return enqueue(request);
        }
        return delayed(request, -1, delay.toMillis());
    }

    /** Enqueues one key's jobs to run no earlier than {@code runAtMs} (ms since the epoch, Redis clock). */
    public EnqueueResult enqueueAt(EnqueueRequest request, long runAtMs) {
        if (runAtMs < 0) {
            throw new InvalidJobException("run-at time must be >= 0 ms since the epoch, got " + runAtMs);
        }
        return delayed(request, runAtMs, 0);
    }

    private EnqueueResult delayed(EnqueueRequest request, long runAtMs, long delayMs) {
        validator.check(request);
        PartitionKeys p = keys.partitionOf(request.key());
        List<byte[]> k = new ArrayList<>(List.of(p.delayed(), p.seq(), p.stats()));
        if (request.dedupId() != null) {
            k.add(p.dedup(request.key(), request.dedupId()));
        }
        List<byte[]> a = new ArrayList<>(5 + request.jobs().size());
        a.add(bytes(request.key()));
        a.add(num(p.partition()));
        a.add(num(settings.dedupWindow().toMillis()));
        a.add(num(runAtMs));
        a.add(num(delayMs));
        for (NewJob job : request.jobs()) {
            a.add(JobCodec.encodeBody(job));
        }
        return enqueueResult(request, scripts.run(Script.ENQUEUE_DELAYED, k, a));
    }

    /** Result of {@link #promoteDue}: jobs moved, and whether the limit cut it short. */
    public record Promoted(int jobs, boolean more) {}

    /** Appends up to {@code limit} (at most 1000) due delayed jobs of one partition to their strands. */
    public Promoted promoteDue(int partition, int limit) {
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("limit must be in [1, 1000], got " + limit);
        }
        PartitionKeys p = keys.partition(partition);
        List<?> r = (List<?>) scripts.run(Script.PROMOTE_DELAYED, List.of(p.delayed(), p.ready(), p.stats(), p.bell()),
                List.of(p.prefixBytes(), num(limit)));
        return new Promoted((int) l(r, 0), l(r, 1) == 1);
    }

    // ---------------------------------------------------------------- worker

    /**
     * Leases up to {@code maxKeys} due keys of one partition to {@code workerId}, each with its
     * first {@code batch} jobs.
     */
    public Claim claim(int partition, String workerId, int maxKeys, Duration lease, int batch) {
        checkPositive("maxKeys", maxKeys);
        checkPositive("batch", batch);
        PartitionKeys p = keys.partition(partition);
        List<?> r = (List<?>) scripts.run(Script.CLAIM,
                List.of(p.ready(), p.leases(), p.owners(), p.fence(), p.attempts(), p.paused(), p.bell()),
                List.of(p.prefixBytes(), bytes(workerId), num(maxKeys), num(lease.toMillis()), num(batch)));
        long now = l(r, 0);
        long nextDue = l(r, 1);
        if (nextDue == -2) {
            return new Claim(now, -1, true, List.of());
        }
        int granted = (int) l(r, 2);
        List<ClaimedKey> claimed = new ArrayList<>(granted);
        int i = 3;
        for (int g = 0; g < granted; g++) {
            String key = s(r, i);
            long fence = l(r, i + 1);
            long deadline = l(r, i + 2);
            int headAttempts = (int) l(r, i + 3);
            int n = (int) l(r, i + 4);
            i += 5;
            List<Job> jobs = new ArrayList<>(n);
            for (int j = 0; j < n; j++) {
                jobs.add(JobCodec.decode((byte[]) r.get(i + j), key, j == 0 ? headAttempts + 1 : 1));
            }
            i += n;
            claimed.add(new ClaimedKey(new Lease(key, partition, fence, workerId, deadline), jobs));
        }
        return new Claim(now, nextDue, false, claimed);
    }

    /**
     * Acknowledges the head jobs {@code jobIds} (in order) of a held key.
     *
     * @param skip jobs after the acked ones that the caller already holds: the reply's jobs start
     *             after them
     */
    public AckResult ack(Lease lease, List<Long> jobIds, Duration leaseTime, int batch, int skip) {
        if (jobIds.isEmpty()) {
            throw new IllegalArgumentException("ack needs at least one job id");
        }
        PartitionKeys p = keys.partition(lease.partition());
        List<byte[]> a = new ArrayList<>(8 + jobIds.size());
        a.add(bytes(lease.key()));
        a.add(bytes(lease.workerId()));
        a.add(num(lease.fence()));
        a.add(num(leaseTime.toMillis()));
        a.add(num(batch));
        a.add(num(skip));
        a.add(num(settings.fairnessJobs()));
        a.add(num(settings.fairnessTime().toMillis()));
        jobIds.forEach(id -> a.add(num(id)));
        List<?> r = (List<?>) scripts.run(Script.ACK,
                List.of(p.ready(), p.leases(), p.owners(), p.attempts(), p.stats(), p.bell(), p.queue(lease.key())),
                a);
        ScriptStatus status = ScriptStatus.of(l(r, 0));
        if (status != ScriptStatus.CONTINUE) {
            return new AckResult(status, -1, List.of());
        }
        List<Job> next = new ArrayList<>(r.size() - 2);
        for (int i = 2; i < r.size(); i++) {
            next.add(JobCodec.decode((byte[]) r.get(i), lease.key(), 1));
        }
        return new AckResult(status, l(r, 1), next);
    }

    /**
     * Extends every given lease still held by its worker (one script call per partition, all in
     * one pipeline). Returns the leases that are still held, with their new deadlines; the
     * others are stale and must be dropped.
     */
    public List<Lease> renew(List<Lease> leases, Duration leaseTime) {
        Map<List<Object>, List<Lease>> byPartitionAndWorker = new LinkedHashMap<>();
        for (Lease lease : leases) {
            // Scripts take one worker id per call: group by partition and worker.
            byPartitionAndWorker.computeIfAbsent(List.of(lease.partition(), lease.workerId()), g -> new ArrayList<>())
                    .add(lease);
        }
        List<ScriptRunner.Call> calls = new ArrayList<>();
        List<List<Lease>> groups = new ArrayList<>(byPartitionAndWorker.values());
        for (List<Lease> group : groups) {
            PartitionKeys p = keys.partition(group.getFirst().partition());
            List<byte[]> a = new ArrayList<>(2 + 2 * group.size());
            a.add(bytes(group.getFirst().workerId()));
            a.add(num(leaseTime.toMillis()));
            for (Lease lease : group) {
                a.add(bytes(lease.key()));
                a.add(num(lease.fence()));
            }
            calls.add(new ScriptRunner.Call(Script.RENEW, List.of(p.leases(), p.owners()), a));
        }
        List<Object> replies = scripts.runAll(calls);
        List<Lease> held = new ArrayList<>(leases.size());
        for (int g = 0; g < groups.size(); g++) {
            List<?> r = (List<?>) replies.get(g);
            long deadline = l(r, 0);
            List<Lease> group = groups.get(g);
            for (int i = 0; i < group.size(); i++) {
                if (l(r, i + 1) == 1) {
                    held.add(group.get(i).withDeadline(deadline));
                }
            }
        }
        return held;
    }

    /**
     * Records a failure of the held key's head job {@code jobId}. Below the attempt limit (and
     * {@code retryable}) the key runs again after {@code delay}; else the failure policy applies.
     */
    public FailResult fail(Lease lease, long jobId, String error, boolean retryable, Duration delay) {
        PartitionKeys p = keys.partition(lease.partition());
        List<?> r = (List<?>) scripts.run(Script.FAIL,
                List.of(p.ready(), p.leases(), p.owners(), p.attempts(), p.parked(), p.dlq(), p.stats(), p.bell(),
                        p.queue(lease.key())),
                List.of(p.prefixBytes(), bytes(lease.key()), bytes(lease.workerId()), num(lease.fence()), num(jobId),
                        bytes(error == null ? "" : error), num(retryable ? 1 : 0), num(settings.maxAttempts()),
                        num(Math.max(0, delay.toMillis())), bytes(settings.failurePolicy().name())));
        ScriptStatus status = ScriptStatus.of(l(r, 0));
        return new FailResult(status, r.size() > 1 ? (int) l(r, 1) : 0, r.size() > 2 ? l(r, 2) : -1);
    }

    /** Gives a held key back so that any worker may claim it at once. False if the lease was stale. */
    public boolean release(Lease lease) {
        PartitionKeys p = keys.partition(lease.partition());
        List<?> r = (List<?>) scripts.run(Script.RELEASE,
                List.of(p.ready(), p.leases(), p.owners(), p.bell()),
                List.of(bytes(lease.key()), bytes(lease.workerId()), num(lease.fence())));
        return ScriptStatus.of(l(r, 0)) == ScriptStatus.OK;
    }

    // ---------------------------------------------------------------- sweeper

    /** Takes back up to {@code limit} expired leases of one partition. */
    public SweepResult sweep(int partition, int limit) {
        checkPositive("limit", limit);
        PartitionKeys p = keys.partition(partition);
        List<?> r = (List<?>) scripts.run(Script.SWEEP,
                List.of(p.leases(), p.owners(), p.attempts(), p.stats(), p.bell(), p.ready(), p.parked(), p.dlq()),
                List.of(p.prefixBytes(), num(limit), num(settings.maxAttempts()),
                        bytes(settings.failurePolicy().name())));
        return new SweepResult((int) l(r, 0), (int) l(r, 1), (int) l(r, 2), l(r, 3) == 1);
    }

    // ---------------------------------------------------------------- admin

    public KeyInspection inspect(String key, int peek) {
        validator.checkKey(key);
        PartitionKeys p = keys.partitionOf(key);
        List<?> r = (List<?>) scripts.run(Script.INSPECT,
                List.of(p.ready(), p.leases(), p.owners(), p.attempts(), p.parked(), p.queue(key)),
                List.of(bytes(key), num(Math.max(0, peek))));
        KeyState state = KeyState.valueOf(s(r, 0).toUpperCase(java.util.Locale.ROOT));
        int attempts = (int) l(r, 3);
        List<Job> head = new ArrayList<>();
        for (int i = 6; i < r.size(); i++) {
            head.add(JobCodec.decode((byte[]) r.get(i), key, i == 6 ? attempts + 1 : 1));
        }
        return new KeyInspection(key, state, l(r, 1), s(r, 2), attempts, s(r, 4), l(r, 5), head);
    }

    /** Holds a key until {@link #unpark}; revokes a current lease. */
    public ScriptStatus park(String key, String reason) {
        validator.checkKey(key);
        PartitionKeys p = keys.partitionOf(key);
        List<?> r = (List<?>) scripts.run(Script.PARK,
                List.of(p.ready(), p.leases(), p.owners(), p.parked(), p.queue(key)),
                List.of(bytes(key), bytes(reason == null || reason.isEmpty() ? "parked by operator" : reason)));
        return ScriptStatus.of(l(r, 0));
    }

    /** Lets a parked key run again, its head job with fresh attempts. False if it was not parked. */
    public boolean unpark(String key) {
        validator.checkKey(key);
        PartitionKeys p = keys.partitionOf(key);
        List<?> r = (List<?>) scripts.run(Script.UNPARK,
                List.of(p.ready(), p.parked(), p.attempts(), p.bell(), p.queue(key)),
                List.of(bytes(key)));
        return ScriptStatus.of(l(r, 0)) == ScriptStatus.OK;
    }

    /** Up to {@code count} dead jobs of one partition, oldest first, after entry {@code afterId} (null = from the start). */
    public List<DeadJob> deadJobs(int partition, String afterId, int count) {
        PartitionKeys p = keys.partition(partition);
        byte[] start = bytes(afterId == null ? "-" : "(" + afterId);
        // The binary XRANGE replies raw: [[id, [field, value, ...]], ...]; job bytes stay bytes.
        List<Object> entries = scripts.command("reading the dead letters in " + p.prefix() + "dlq",
                redis -> redis.xrange(p.dlq(), start, bytes("+"), count));
        List<DeadJob> out = new ArrayList<>(entries.size());
        for (Object entry : entries) {
            List<?> e = (List<?>) entry;
            List<?> fields = (List<?>) e.get(1);
            Map<String, byte[]> f = new HashMap<>();
            for (int i = 0; i + 1 < fields.size(); i += 2) {
                f.put(new String((byte[]) fields.get(i), UTF_8), (byte[]) fields.get(i + 1));
            }
            String key = new String(f.get("key"), UTF_8);
            int attempts = Integer.parseInt(new String(f.get("attempts"), UTF_8));
            out.add(new DeadJob(new String((byte[]) e.get(0), UTF_8), partition, JobCodec.decode(f.get("job"), key, attempts),
                    new String(f.get("error"), UTF_8), attempts, Long.parseLong(new String(f.get("at"), UTF_8))));
        }
        return out;
    }

    /**
     * Puts dead jobs back into their strands in the order they died, examining at most
     * {@code limit} entries per partition. {@code key} null replays every key.
     *
     * @param toHead true: before the key's pending jobs (they run next); false: after them
     * @return how many jobs were replayed
     */
    public long replayDead(String key, boolean toHead, int limit) {
        return forDeadEntries(Script.DLQ_REPLAY, key, limit, p -> List.of(p.dlq(), p.ready(), p.leases(), p.owners(),
                p.parked(), p.attempts(), p.stats(), p.bell()),
                (p, from) -> List.of(p.prefixBytes(), bytes(key == null ? "" : key), num(limit),
                        num(toHead ? 1 : 0), bytes(from)));
    }

    /** Deletes dead jobs for good, examining at most {@code limit} entries per partition. */
    public long purgeDead(String key, int limit) {
        return forDeadEntries(Script.DLQ_PURGE, key, limit, p -> List.of(p.dlq(), p.stats()),
                (p, from) -> List.of(bytes(key == null ? "" : key), num(limit), bytes(from)));
    }

    private long forDeadEntries(Script script, String key, int limit,
            java.util.function.Function<PartitionKeys, List<byte[]>> keysOf,
            java.util.function.BiFunction<PartitionKeys, String, List<byte[]>> argsOf) {
        checkPositive("limit", limit);
        if (key != null) {
            validator.checkKey(key);
        }
        List<PartitionKeys> targets = key == null ? keys.partitions() : List.of(keys.partitionOf(key));
        long total = 0;
        for (PartitionKeys p : targets) {
            List<?> r = (List<?>) scripts.run(script, keysOf.apply(p), argsOf.apply(p, "-"));
            total += l(r, 0);
        }
        return total;
    }

    /** Stops claims in every partition; submits still enqueue, held leases run on. */
    public void pause() {
        for (PartitionKeys p : keys.partitions()) {
            scripts.run(Script.PAUSE, List.of(p.paused()), List.of());
        }
    }

    public void resume() {
        for (PartitionKeys p : keys.partitions()) {
            scripts.run(Script.RESUME, List.of(p.paused(), p.bell()), List.of());
        }
    }

    /** Gauges and counters summed over partitions, read in one pipeline (not atomic across partitions). */
    public QueueCounts counts() {
        long now = redisTimeMs();
        return scripts.command("reading the counts of namespace '" + keys.namespace() + "'", redis -> {
            List<Response<Long>> ready = new ArrayList<>();
            List<Response<Long>> leased = new ArrayList<>();
            List<Response<Long>> parked = new ArrayList<>();
            List<Response<Long>> dead = new ArrayList<>();
            List<Response<Boolean>> paused = new ArrayList<>();
            List<Response<List<Tuple>>> oldest = new ArrayList<>();
            List<Response<Map<byte[], byte[]>>> stats = new ArrayList<>();
            try (AbstractPipeline pipe = redis.pipelined()) {
                for (PartitionKeys p : keys.partitions()) {
                    ready.add(pipe.zcard(p.ready()));
                    leased.add(pipe.zcard(p.leases()));
                    parked.add(pipe.hlen(p.parked()));
                    dead.add(pipe.xlen(p.dlq()));
                    paused.add(pipe.exists(p.paused()));
                    oldest.add(pipe.zrangeWithScores(p.ready(), 0, 0));
                    stats.add(pipe.hgetAll(p.stats()));
                }
                pipe.sync();
            }
            long oldestAge = 0;
            Map<String, Long> counters = new java.util.TreeMap<>();
            for (int i = 0; i < keys.partitionCount(); i++) {
                for (Tuple t : oldest.get(i).get()) {
                    oldestAge = Math.max(oldestAge, now - (long) t.getScore());
                }
                stats.get(i).get().forEach((k, v) -> counters.merge(new String(k, UTF_8),
                        Long.parseLong(new String(v, UTF_8)), Long::sum));
            }
            return new QueueCounts(counters.getOrDefault("pending", 0L), sum(ready), sum(leased), sum(parked),
                    sum(dead), oldestAge, paused.stream().anyMatch(Response::get), counters);
        });
    }

    // ---------------------------------------------------------------- helpers

    /** Milliseconds since the epoch on the Redis clock. */
    public long redisTimeMs() {
        List<?> t = (List<?>) scripts.command("reading the Redis clock",
                redis -> redis.sendCommand(Protocol.Command.TIME));
        return Long.parseLong(new String((byte[]) t.get(0), UTF_8)) * 1000
                + Long.parseLong(new String((byte[]) t.get(1), UTF_8)) / 1000;
    }

    private static long sum(List<Response<Long>> responses) {
        return responses.stream().mapToLong(Response::get).sum();
    }

    private static void checkPositive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, got " + value);
        }
    }

    private static long l(List<?> reply, int i) {
        return (Long) reply.get(i);
    }

    private static String s(List<?> reply, int i) {
        return new String((byte[]) reply.get(i), UTF_8);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    private static byte[] num(long n) {
        return Long.toString(n).getBytes(UTF_8);
    }
}
