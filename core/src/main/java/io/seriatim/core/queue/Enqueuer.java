package io.seriatim.core.queue;

import static io.seriatim.core.script.Args.num;
import static io.seriatim.core.script.Args.text;

import io.seriatim.core.keys.NamespaceKeys;
import io.seriatim.core.keys.PartitionKeys;
import io.seriatim.core.redis.RedisUnavailableException;
import io.seriatim.core.script.Reply;
import io.seriatim.core.script.Script;
import io.seriatim.core.script.ScriptRunner;
import io.seriatim.core.script.ScriptStatus;
import io.seriatim.core.settings.NamespaceSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts new jobs into Redis: requests to run now (enqueue_many.lua, one key's request being a
 * batch of one, split into calls and waves by {@link EnqueuePlan}) and delayed jobs
 * (enqueue_delayed.lua). It stamps every job it sends, with ids from {@link IdBlocks} and
 * {@link JobCodec#encodeStored}. Every request is validated before anything is written.
 *
 * <p>Thread-safe: its only state is in {@link IdBlocks}.
 */
final class Enqueuer {
    /** Times a call is stamped from a new block before Redis losing its blocks counts as unavailable. */
    private static final int STAMP_ATTEMPTS = 3;

    private final NamespaceSettings settings;
    private final NamespaceKeys keys;
    private final ScriptRunner scripts;
    private final JobValidator validator;
    private final IdBlocks idBlocks;

    Enqueuer(NamespaceSettings settings, NamespaceKeys keys, ScriptRunner scripts, JobValidator validator) {
        this.settings = settings;
        this.keys = keys;
        this.scripts = scripts;
        this.validator = validator;
        this.idBlocks = new IdBlocks(scripts, keys);
    }

    /** One key's request is a batch of one: the same script, stamping and dedup. */
    EnqueueResult enqueue(EnqueueRequest request) {
        return enqueueAll(List.of(request), null, 0, Duration.ZERO).getFirst();
    }

    List<EnqueueResult> enqueueAll(List<EnqueueRequest> requests, String batchDedupId, int replicas, Duration timeout) {
        requests.forEach(validator::check);
        if (batchDedupId != null) {
            validator.checkDedupId(batchDedupId);
        }
        EnqueuePlan plan = EnqueuePlan.of(requests, keys);
        EnqueueResult[] out = new EnqueueResult[requests.size()];
        for (int w = 0; w < plan.waves(); w++) {
            sendWave(plan.wave(w), requests, batchDedupId, replicas, timeout, out);
        }
        return List.of(out);
    }

    /**
     * Sends one wave of calls in one pipeline; a failed wave stops the batch (see
     * {@link EnqueuePlan}). Each call is stamped just before it goes, and a call whose id block
     * Redis has lost (IDS_LOST: it wrote nothing) is stamped from a new block and sent again.
     */
    private void sendWave(List<EnqueuePlan.Call> wave, List<EnqueueRequest> requests, String batchDedupId,
            int replicas, Duration timeout, EnqueueResult[] out) {
        List<EnqueuePlan.Call> pending = wave;
        for (int attempt = 1; !pending.isEmpty(); attempt++) {
            List<ScriptRunner.Call> calls = new ArrayList<>(pending.size());
            for (EnqueuePlan.Call c : pending) {
                calls.add(enqueueManyCall(c, requests, batchDedupId == null ? "" : batchDedupId + "#" + c.index()));
            }
            List<ScriptRunner.CallResult> got = scripts.runEach(calls, replicas, timeout.toMillis());
            for (ScriptRunner.CallResult r : got) { // the first failed call's error, in call order
                if (r.outcome().failed()) {
                    throw r.outcome().error();
                }
            }
            List<EnqueuePlan.Call> lost = new ArrayList<>();
            long reached = Long.MAX_VALUE;
            for (int i = 0; i < pending.size(); i++) {
                EnqueuePlan.Call c = pending.get(i);
                Reply r = got.get(i).outcome().value();
                reached = Math.min(reached, got.get(i).replicasReached());
                if (r.status(1) == ScriptStatus.IDS_LOST) {
                    idBlocks.forget(c.partition());
                    lost.add(c);
                } else {
                    readEnqueueMany(r, c, requests, out);
                }
            }
            if (replicas > 0 && reached < replicas) {
                // The lowest count of the masters the wave wrote to: each master's WAIT is its own.
                throw new NotReplicatedException(reached, replicas, timeout);
            }
            if (!lost.isEmpty() && attempt == STAMP_ATTEMPTS) {
                throw idsLostTooOften();
            }
            pending = lost;
        }
    }

    /** The call with its jobs stamped from a block of the partition's ids. */
    private ScriptRunner.Call enqueueManyCall(EnqueuePlan.Call call, List<EnqueueRequest> requests, String callDedupId) {
        PartitionKeys pk = keys.partition(call.partition());
        IdBlocks.Range ids = idBlocks.take(call.partition(), call.jobs());
        List<byte[]> a = new ArrayList<>(5 + 3 * call.requests().size() + call.jobs());
        a.add(pk.prefixBytes());
        a.add(num(settings.dedupWindow().toMillis()));
        a.add(text(callDedupId));
        a.add(num(ids.firstSeq()));
        a.add(num(ids.blockFirst()));
        long seq = ids.firstSeq();
        for (int r : call.requests()) {
            EnqueueRequest request = requests.get(r);
            a.add(text(request.key()));
            a.add(text(dedupIdOf(request)));
            a.add(num(request.jobs().size()));
            seq = stamp(request, call.partition(), seq, ids.redisTimeMs(), a);
        }
        return new ScriptRunner.Call(Script.ENQUEUE_MANY, List.of(pk.ready(), pk.stats(), pk.bell(), pk.leases(), pk.parked()), a);
    }

    /**
     * enqueue_many's answer: {nowMs, callStatus, callFirst, then (ordinal, status, firstSeq, count)
     * for each request whose ids are not its place in the call's block, in ordinal order}.
     */
    private static void readEnqueueMany(Reply r, EnqueuePlan.Call call, List<EnqueueRequest> requests,
            EnqueueResult[] out) {
        long now = r.integer(0);
        boolean callDuplicate = r.status(1) == ScriptStatus.DUPLICATE;
        long cursor = r.integer(2);
        int next = 3; // the next exception's place in the answer
        for (int m = 0; m < call.requests().size(); m++) {
            int index = call.requests().get(m);
            EnqueueRequest request = requests.get(index);
            if (next < r.size() && r.integer(next) == m + 1) {
                out[index] = new EnqueueResult(request.key(), call.partition(),
                        r.status(next + 1) == ScriptStatus.DUPLICATE, r.integer(next + 2), r.count(next + 3), now);
                next += 4;
            } else {
                out[index] = new EnqueueResult(request.key(), call.partition(), callDuplicate, cursor,
                        request.jobs().size(), now);
            }
            cursor += request.jobs().size();
        }
    }

    EnqueueResult enqueueDelayed(EnqueueRequest request, Duration delay) {
        if (delay.isNegative()) {
            throw new InvalidJobException("delay must be >= 0, got " + delay);
        }
        if (delay.isZero()) {
            return enqueue(request);
        }
        return delayed(request, -1, delay.toMillis());
    }

    EnqueueResult enqueueAt(EnqueueRequest request, long runAtMs) {
        if (runAtMs < 0) {
            throw new InvalidJobException("run-at time must be >= 0 ms since the epoch, got " + runAtMs);
        }
        return delayed(request, runAtMs, 0);
    }

    /** As a wave of one call: stamped just before it goes, and again from a new block if Redis lost it. */
    private EnqueueResult delayed(EnqueueRequest request, long runAtMs, long delayMs) {
        validator.check(request);
        PartitionKeys p = keys.partitionOf(request.key());
        int n = request.jobs().size();
        for (int attempt = 1; ; attempt++) {
            IdBlocks.Range ids = idBlocks.take(p.partition(), n);
            List<byte[]> a = new ArrayList<>(8 + n);
            a.add(p.prefixBytes());
            a.add(text(request.key()));
            a.add(text(dedupIdOf(request)));
            a.add(num(settings.dedupWindow().toMillis()));
            a.add(num(runAtMs));
            a.add(num(delayMs));
            a.add(num(ids.firstSeq()));
            a.add(num(ids.blockFirst()));
            stamp(request, p.partition(), ids.firstSeq(), ids.redisTimeMs(), a);
            Reply r = scripts.run(Script.ENQUEUE_DELAYED, List.of(p.delayed(), p.stats()), a);
            if (r.status(0) != ScriptStatus.IDS_LOST) {
                return readEnqueueDelayed(r, request, p.partition());
            }
            idBlocks.forget(p.partition());
            if (attempt == STAMP_ATTEMPTS) {
                throw idsLostTooOften();
            }
        }
    }

    /** enqueue_delayed's answer: {status, firstSeq, count, nowMs, dueMs}. */
    private static EnqueueResult readEnqueueDelayed(Reply r, EnqueueRequest request, int partition) {
        return new EnqueueResult(request.key(), partition, r.status(0) == ScriptStatus.DUPLICATE, r.integer(1),
                r.count(2), r.integer(3));
    }

    /**
     * Appends the request's jobs as stored jobs: ids from sequence number {@code seq} on, and the
     * submit time. Every job Java submits is stamped here (see docs/redis-layout.md, "The stored
     * job"). Returns the next sequence number.
     */
    private static long stamp(EnqueueRequest request, int partition, long seq, long submittedAtMs, List<byte[]> out) {
        for (NewJob job : request.jobs()) {
            out.add(JobCodec.encodeStored(job, JobIds.of(seq++, partition), submittedAtMs));
        }
        return seq;
    }

    private static String dedupIdOf(EnqueueRequest request) {
        return request.dedupId() == null ? "" : request.dedupId();
    }

    private static RedisUnavailableException idsLostTooOften() {
        return new RedisUnavailableException("Redis lost the id blocks of this submit " + STAMP_ATTEMPTS
                + " times in a row (restarting, failing over or being flushed?): nothing of the affected calls was"
                + " written", null);
    }
}
