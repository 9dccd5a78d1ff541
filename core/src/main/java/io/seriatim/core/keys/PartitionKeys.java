package io.seriatim.core.keys;

import java.nio.charset.StandardCharsets;

/**
 * Names of the Redis keys of one partition of a namespace. Every name starts with the
 * partition's hash tag (see {@link KeyLayout}), so all keys a script touches live in one Redis
 * Cluster slot. This is the one place that builds them: scripts take {@link #prefix()} and
 * append to it, tests and tools ask here.
 *
 * <p>Immutable; the byte forms are computed once because they go into every script call.
 */
public final class PartitionKeys {
    private final String namespace;
    private final int partition;
    private final String tag;
    private final int slot;
    private final String prefix;
    private final byte[] prefixBytes;
    private final byte[] ready;
    private final byte[] leases;
    private final byte[] owners;
    private final byte[] fence;
    private final byte[] attempts;
    private final byte[] parked;
    private final byte[] dlq;
    private final byte[] stats;
    private final byte[] seq;
    private final byte[] bell;
    private final byte[] paused;
    private final byte[] delayed;
    private final byte[] schedules;
    private final byte[] scheduleTicks;
    private final byte[] deferred;

    PartitionKeys(String namespace, int partition, String tag) {
        this.namespace = namespace;
        this.partition = partition;
        this.tag = tag;
        this.slot = Crc16.slot(Crc16.update(0, bytes(tag)));
        this.prefix = "{" + tag + "}:";
        this.prefixBytes = bytes(prefix);
        this.ready = name("ready");
        this.leases = name("leases");
        this.owners = name("owners");
        this.fence = name("fence");
        this.attempts = name("attempts");
        this.parked = name("parked");
        this.dlq = name("dlq");
        this.stats = name("stats");
        this.seq = name("seq");
        this.bell = name("bell");
        this.paused = name("paused");
        this.delayed = name("delayed");
        this.schedules = name("schedules");
        this.scheduleTicks = name("schedule-ticks");
        this.deferred = name("deferred");
    }

    public String namespace() { return namespace; }
    public int partition() { return partition; }
    /** The hash tag, without braces: {@code ns:p} or {@code ns:p:s} (see {@link KeyLayout}). */
    public String tag() { return tag; }
    /** The Redis Cluster slot of every key of this partition. */
    public int slot() { return slot; }
    /** {@code {tag}:}, the start of every key of this partition. */
    public String prefix() { return prefix; }
    public byte[] prefixBytes() { return prefixBytes; }

    /** zset: ready keys, scored by when they may next be claimed (ms, Redis time). */
    public byte[] ready() { return ready; }
    /** zset: leased keys, scored by lease deadline. */
    public byte[] leases() { return leases; }
    /** hash: leased key to {@code fence|grantedAtMs|jobsRun|workerId}. */
    public byte[] owners() { return owners; }
    /** string: fence counter, incremented on every lease granted. */
    public byte[] fence() { return fence; }
    /** hash: key to failed attempts of its head job. */
    public byte[] attempts() { return attempts; }
    /** hash: parked key to the reason it is held. */
    public byte[] parked() { return parked; }
    /** stream: dead-lettered jobs with key, job, error, attempts, time. */
    public byte[] dlq() { return dlq; }
    /** hash: counters (enqueued, acked, pending, dead, ...). */
    public byte[] stats() { return stats; }
    /** string: job sequence counter (job ids derive from it). */
    public byte[] seq() { return seq; }
    /** list: doorbell that idle workers block on. */
    public byte[] bell() { return bell; }
    /** string: present while the namespace is paused. */
    public byte[] paused() { return paused; }

    /** zset: jobs submitted with a delay, scored by due time; not pending until promoted. */
    public byte[] delayed() { return delayed; }
    /** hash: schedule name to its encoded definition (schedules live in their key's partition). */
    public byte[] schedules() { return schedules; }
    /** hash: schedule name to the last tick fired (ms). */
    public byte[] scheduleTicks() { return scheduleTicks; }

    /**
     * hash: leased key to the operator act (park, replay to the head) that waits for its lease to
     * end, so that no job of the key starts while its holder may still run one.
     */
    public byte[] deferred() { return deferred; }

    /** list: the jobs a replay to the head put aside for a leased key until its lease ends, head first. */
    public byte[] staged(String key) { return bytes(prefix + "staged:" + key); }

    /** list: the pending jobs of one ordering key, head = oldest. */
    public byte[] queue(String key) { return bytes(prefix + "q:" + key); }

    /**
     * string with TTL: remembers a submit's dedup id for one ordering key. The id is scoped to
     * the key, so the same id sent for two keys enqueues both; keys and ids hold no control
     * characters, so the newline cannot be forged.
     */
    public byte[] dedup(String key, String dedupId) { return bytes(prefix + "dedup:" + dedupId + "\n" + key); }

    private byte[] name(String suffix) { return bytes(prefix + suffix); }

    private static byte[] bytes(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    @Override
    public String toString() { return prefix; }
}
