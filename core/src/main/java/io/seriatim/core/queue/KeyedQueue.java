package io.seriatim.core.queue;

import io.seriatim.core.keys.NamespaceKeys;
import io.seriatim.core.redis.Outcome;
import io.seriatim.core.script.Script;
import io.seriatim.core.script.ScriptRunner;
import io.seriatim.core.script.ScriptStatus;
import io.seriatim.core.settings.NamespaceRegistry;
import io.seriatim.core.settings.NamespaceSettings;
import io.seriatim.core.settings.StatedSettings;
import io.seriatim.core.settings.StoredSettings;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import redis.clients.jedis.UnifiedJedis;

/**
 * The operations of one namespace, each one Lua script run atomically in Redis (see
 * {@link Script} and {@code docs/redis-layout.md}); the scripts keep the invariants. This class
 * is the public face over package-private parts with one job each: {@link Enqueuer} (new jobs),
 * {@link Leases} (a worker's calls), {@link Maintenance} (the sweeper's), {@link DeadLetters},
 * {@link Holds} (park, pause) and {@link Inspection} (read-only views). Each part builds its
 * scripts' keys and arguments and decodes their replies next to the call.
 *
 * <p>Thread-safe: share one per namespace. It does not own the Redis client it is given;
 * whoever created the client closes it. Redis failures are thrown as
 * {@link io.seriatim.core.redis.RedisException}s.
 *
 * <pre>{@code
 * try (RedisClient redis = RedisClient.create("redis://127.0.0.1:6379")) {
 *     KeyedQueue comments = KeyedQueue.open(redis, NamespaceSettings.builder("comments").build());
 *     comments.enqueue(EnqueueRequest.of("post-A", "first".getBytes()));
 * }
 * }</pre>
 */
public final class KeyedQueue {
    private final NamespaceSettings settings;
    private final NamespaceKeys keys;
    private final JobValidator validator;
    private final Enqueuer enqueuer;
    private final Leases leases;
    private final Maintenance maintenance;
    private final DeadLetters deadLetters;
    private final Holds holds;
    private final Inspection inspection;
    private final KeyListing listing;

    private KeyedQueue(UnifiedJedis redis, StoredSettings stored) {
        this.settings = stored.settings();
        this.keys = new NamespaceKeys(settings.name(), settings.partitions(), stored.layout());
        this.validator = new JobValidator(settings);
        ScriptRunner scripts = new ScriptRunner(redis);
        this.enqueuer = new Enqueuer(settings, keys, scripts, validator);
        this.leases = new Leases(settings, keys, scripts);
        this.maintenance = new Maintenance(settings, keys, scripts);
        this.deadLetters = new DeadLetters(keys, scripts, validator);
        this.holds = new Holds(keys, scripts, validator);
        this.inspection = new Inspection(keys, scripts, validator);
        this.listing = new KeyListing(keys, scripts);
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
        return new KeyedQueue(redis, new NamespaceRegistry(redis).openStored(stated));
    }

    /**
     * Opens a namespace that must already exist (as a gateway does for a client's submit), with
     * the settings stored in Redis.
     *
     * @throws UnknownNamespaceException if it was never registered
     */
    public static KeyedQueue openExisting(UnifiedJedis redis, String name) {
        return new KeyedQueue(redis, new NamespaceRegistry(redis).read(name)
                .orElseThrow(() -> new UnknownNamespaceException(name)));
    }

    /** The settings this queue was opened with. */
    public NamespaceSettings settings() {
        return settings;
    }

    /** The names of the namespace's Redis keys. */
    public NamespaceKeys keys() {
        return keys;
    }

    public int partitionCount() {
        return keys.partitionCount();
    }

    /** The partition that holds {@code key}'s jobs. */
    public int partitionOf(String key) {
        return keys.partitionIndex(key);
    }

    /** The checks every submit passes before anything is written, for callers that check early. */
    public JobValidator validator() {
        return validator;
    }

    // ---------------------------------------------------------------- submit

    /** Appends one key's jobs in order; see {@link #enqueueAll(List)} for many keys at once. */
    public EnqueueResult enqueue(EnqueueRequest request) {
        return enqueuer.enqueue(request);
    }

    /**
     * Enqueues many requests in one pipeline. All are validated first, so an invalid request
     * fails the whole batch before anything is written. Requests of one key are applied in list
     * order. A call that failed inside Redis (e.g. OOM under {@code maxmemory}) is thrown.
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
     * @param timeout      how long each master's WAIT may take; shorter than the connection's
     *                     socket timeout, or a WAIT that times out fails as Redis unavailable
     * @throws NotReplicatedException if on any master the batch wrote to fewer replicas confirmed
     *         in time: the jobs are in the primaries, and a retry with the same dedup ids
     *         enqueues nothing twice
     */
    public List<EnqueueResult> enqueueAll(List<EnqueueRequest> requests, String batchDedupId, int replicas,
            Duration timeout) {
        return enqueuer.enqueueAll(requests, batchDedupId, replicas, timeout);
    }

    /**
     * Enqueues one key's jobs to run no earlier than {@code delay} from now (Redis clock). They get
     * their ids now and join the tail of the key's strand when due (see {@link #promoteDue}).
     */
    public EnqueueResult enqueueDelayed(EnqueueRequest request, Duration delay) {
        return enqueuer.enqueueDelayed(request, delay);
    }

    /** Enqueues one key's jobs to run no earlier than {@code runAtMs} (ms since the epoch, Redis clock). */
    public EnqueueResult enqueueAt(EnqueueRequest request, long runAtMs) {
        return enqueuer.enqueueAt(request, runAtMs);
    }

    // ---------------------------------------------------------------- worker

    /**
     * Leases up to {@code maxKeys} due keys of one partition to {@code workerId}, each with its
     * first {@code batch} jobs.
     */
    public Claim claim(int partition, String workerId, int maxKeys, Duration lease, int batch) {
        return leases.claim(partition, workerId, maxKeys, lease, batch);
    }

    /**
     * Acknowledges the head jobs {@code jobIds} (in order) of a held key.
     *
     * @param skip jobs after the acked ones that the caller already holds: the reply's jobs start
     *             after them
     */
    public AckResult ack(Lease lease, List<Long> jobIds, Duration leaseTime, int batch, int skip) {
        return leases.ack(lease, jobIds, leaseTime, batch, skip);
    }

    /**
     * Acknowledges many held keys at once: one script call per partition (and worker), all in one
     * pipeline. The answers come in the requests' order; each key's is what {@link #ack} would
     * have answered alone, its error included: on Redis Cluster a master that fails or does not
     * answer fails the acks of its keys only. A key may appear once per call (a repeat is
     * answered HEAD_MISMATCH).
     */
    public List<Outcome<AckResult>> ackAll(List<AckRequest> requests, Duration leaseTime) {
        return leases.ackAll(requests, leaseTime);
    }

    /**
     * Extends every given lease still held by its worker (one script call per partition, all in
     * one pipeline). Answers lease by lease: renewed (with the new deadline), stale (drop the key),
     * or failed with its call's error (on Redis Cluster, a master that fails or does not answer
     * fails the renewal of its leases only; on one Redis, every lease fails together).
     */
    public Renewal renew(List<Lease> leases, Duration leaseTime) {
        return this.leases.renew(leases, leaseTime);
    }

    /**
     * Records a failure of the held key's head job {@code jobId}. Below the attempt limit (and
     * {@code retryable}) the key runs again after {@code delay}; else the failure policy applies.
     */
    public FailResult fail(Lease lease, long jobId, String error, boolean retryable, Duration delay) {
        return leases.fail(lease, jobId, error, retryable, delay);
    }

    /** Gives a held key back so that any worker may claim it at once. False if the lease was stale. */
    public boolean release(Lease lease) {
        return leases.release(lease);
    }

    // ---------------------------------------------------------------- sweeper

    /** Takes back up to {@code limit} expired leases of one partition. */
    public SweepResult sweep(int partition, int limit) {
        return maintenance.sweep(partition, limit);
    }

    /** Appends up to {@code limit} (at most 1000) due delayed jobs of one partition to their strands. */
    public Promoted promoteDue(int partition, int limit) {
        return maintenance.promoteDue(partition, limit);
    }

    /**
     * One bounded page of a partition's repair pass: scans about {@code count} names of the
     * current source (see {@link RepairCursor}) and mends every key found whose bookkeeping breaks
     * the invariant (a key with pending jobs in exactly one of ready, leases, parked; owners
     * matching leases). Never makes a key ready beside a standing lease. Start a pass with
     * {@link RepairCursor#start()} and go on with {@link RepairPage#next()}.
     */
    public RepairPage repairPage(int partition, RepairCursor at, int count) {
        return maintenance.repairPage(partition, at, count);
    }

    // ---------------------------------------------------------------- admin

    /** A consistent snapshot of one key, with up to {@code peek} of its head jobs. */
    public KeyInspection inspect(String key, int peek) {
        return inspection.inspect(key, peek);
    }

    /**
     * Holds a key until {@link #unpark}. A leased key stays with its holder until the holder
     * acks, fails or releases it, or its lease expires; the park takes effect then
     * ({@link ParkResult#waitsForHolder()}), so that no job of the key starts beside a running one.
     */
    public ParkResult park(String key, String reason) {
        return holds.park(key, reason);
    }

    /**
     * Lets a parked key run again, its head job with fresh attempts ({@link ScriptStatus#OK}), or
     * withdraws a park that still waits for the key's holder ({@link ScriptStatus#CANCELLED});
     * {@link ScriptStatus#NOT_PARKED} otherwise.
     */
    public ScriptStatus unpark(String key) {
        return holds.unpark(key);
    }

    /** Up to {@code count} dead jobs of one partition, oldest first, after entry {@code afterId} (null = from the start). */
    public List<DeadJob> deadJobs(int partition, String afterId, int count) {
        return deadLetters.deadJobs(partition, afterId, count);
    }

    /**
     * Puts dead jobs back into their strands in the order they died, examining at most
     * {@code limit} entries per partition. {@code key} null replays every key.
     *
     * @param toHead true: before the key's pending jobs (they run next); false: after them. A
     *               leased key's holder keeps it: jobs replayed to its head wait until its lease
     *               ends, so that none starts beside the running one
     */
    public Replayed replayDead(String key, boolean toHead, int limit) {
        return deadLetters.replay(key, toHead, limit);
    }

    /** Deletes dead jobs for good, examining at most {@code limit} entries per partition. */
    public long purgeDead(String key, int limit) {
        return deadLetters.purge(key, limit);
    }

    /** Stops claims in every partition; submits still enqueue, held leases run on (the answer says how many). */
    public Paused pause() {
        return holds.pause();
    }

    /** Lets claims run again after {@link #pause}. */
    public void resume() {
        holds.resume();
    }

    /** Gauges and counters summed over partitions, read in one pipeline (not atomic across partitions). */
    public QueueCounts counts() {
        return inspection.counts();
    }

    /**
     * Each partition's gauges and counters, in partition order, read in one pipeline (each
     * partition consistent in itself). {@link #counts()} is their sum.
     */
    public List<PartitionCounts> partitionCounts() {
        return inspection.partitionCounts();
    }

    /**
     * How the namespace's partitions fall over the masters of the cluster now; empty on a
     * standalone or Sentinel Redis.
     */
    public Optional<MasterSpread> spread() {
        return inspection.masters().map(m -> MasterSpread.of(keys, m));
    }

    /**
     * The keys that do not move, and why: leases expired longer than {@code grace} ago and not
     * taken back, leases held longer than {@code runningLongerThan}, parked keys, keys waiting out
     * a backoff; and what holds the whole namespace (paused, delayed jobs overdue). Reads only
     * those keys, never every key, so it stays cheap in a namespace of millions
     * (docs/operations.md, "Stuck keys").
     *
     * @param limit most keys listed ({@link StuckKeys#truncated()} says when there were more)
     */
    public StuckKeys stuckKeys(Duration runningLongerThan, Duration grace, int limit) {
        if (limit < 1 || runningLongerThan.isNegative() || grace.isNegative()) {
            throw new IllegalArgumentException("limit must be >= 1 and the durations >= 0");
        }
        return listing.stuck(redisTimeMs(), runningLongerThan, grace, limit);
    }

    /**
     * The {@code limit} deepest keys, or those with the oldest head job, among the keys with
     * pending jobs (ready, leased or parked) whose name starts with {@code prefix} (null: all).
     * Reads every such key, a page of 1,000 at a time: its cost grows with the namespace.
     */
    public List<KeyRow> topKeys(KeyRow.Order order, String prefix, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1, got " + limit);
        }
        return listing.top(order, prefix, limit);
    }

    /** Milliseconds since the epoch on the Redis clock. */
    public long redisTimeMs() {
        return inspection.redisTimeMs();
    }
}
