package io.seriatim.core.queue;

import static io.seriatim.core.script.Args.num;

import io.seriatim.core.keys.NamespaceKeys;
import io.seriatim.core.script.Reply;
import io.seriatim.core.script.Script;
import io.seriatim.core.script.ScriptRunner;
import java.util.List;

/**
 * Blocks of job sequence numbers, one per partition, taken from Redis ({@code reserve_ids.lua})
 * so that every submit ({@code enqueue_many}, {@code enqueue_delayed}) gets its jobs with ids and
 * submit times already stamped: stamping in Lua cost Redis more than the enqueue itself.
 *
 * <p>The submit time is the Redis time the block came with, advanced by this process' monotonic
 * clock; a block is used for at most {@link #MAX_AGE_NANOS}, so the stamp stays within about a
 * millisecond of Redis' clock when the call is planned. A block that aged out is replaced by one
 * of about what was used from it, and a used-up block by one twice its size (up to
 * {@link #MAX_BLOCK}): an idle process wastes few numbers, a busy one asks Redis rarely.
 *
 * <p>Should Redis lose a block (its last writes lost in a restart, a failover, a flush), the
 * counter would hand its numbers out again: the submit scripts check the block's marker and
 * refuse such jobs, and the caller {@link #forget forgets} the block and stamps them again.
 *
 * <p>Thread-safe: callers of one partition queue on its lock, held across the one Redis call
 * that renews a block.
 */
final class IdBlocks {
    static final int MAX_BLOCK = 65_536;
    static final long MAX_AGE_NANOS = 1_000_000_000L;
    /**
     * How long Redis keeps a block's marker: the block's life plus room for a batch whose later
     * waves wait on replication before they reach Redis. A call that comes later is refused and
     * stamped again, which costs a round trip, not a job.
     */
    static final long MARKER_TTL_MS = 30_000;

    /**
     * The first of {@code count} consecutive sequence numbers, the block they are from (its
     * marker in Redis proves the block still counts), and the Redis time to stamp.
     */
    record Range(long firstSeq, long blockFirst, long redisTimeMs) {}

    private static final class Block {
        long next;
        long end; // exclusive
        long first;
        long redisTimeMs;
        long takenNanos;
    }

    private final ScriptRunner scripts;
    private final NamespaceKeys keys;
    private final Block[] blocks;

    IdBlocks(ScriptRunner scripts, NamespaceKeys keys) {
        this.scripts = scripts;
        this.keys = keys;
        this.blocks = new Block[keys.partitionCount()];
        for (int p = 0; p < blocks.length; p++) {
            blocks[p] = new Block();
        }
    }

    Range take(int partition, int count) {
        Block b = blocks[partition];
        synchronized (b) {
            long now = System.nanoTime();
            boolean aged = now - b.takenNanos > MAX_AGE_NANOS;
            if (b.end == 0 || aged || b.next + count > b.end) {
                // An aged block is followed by about what was used from it (a steady rate wastes
                // little); a used-up one by twice its size (a busy partition asks Redis rarely).
                long used = b.next - b.first;
                long size = aged ? used + count : 2 * (b.end - b.first);
                renew(b, partition, (int) Math.max(count, Math.min(MAX_BLOCK, size)), now);
            }
            long first = b.next;
            b.next += count;
            return new Range(first, b.first, b.redisTimeMs + (now - b.takenNanos) / 1_000_000);
        }
    }

    /** Drops the partition's block: Redis has lost it, so its numbers may be handed out again. */
    void forget(int partition) {
        Block b = blocks[partition];
        synchronized (b) {
            b.end = 0;
            b.next = 0;
            b.first = 0;
        }
    }

    private void renew(Block b, int partition, int size, long now) {
        var pk = keys.partition(partition);
        Reply r = scripts.run(Script.RESERVE_IDS, List.of(pk.seq()),
                List.of(pk.prefixBytes(), num(size), num(MARKER_TTL_MS)));
        // reserve_ids answers {firstSeq, nowMs}.
        b.first = r.integer(0);
        b.next = b.first;
        b.end = b.first + size;
        b.redisTimeMs = r.integer(1);
        b.takenNanos = now;
    }
}
