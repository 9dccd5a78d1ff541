package io.seriatim.gateway;

import com.codahale.metrics.Timer;
import io.seriatim.core.queue.EnqueueRequest;
import io.seriatim.core.queue.EnqueueResult;
import io.seriatim.core.queue.InvalidJobException;
import io.seriatim.core.queue.JobValidator;
import io.seriatim.core.queue.KeyedQueue;
import io.seriatim.core.queue.NewJob;
import io.seriatim.core.queue.NotReplicatedException;
import io.seriatim.core.redis.RedisException;
import io.seriatim.proto.v1.JobResult;
import io.seriatim.proto.v1.Rejection;
import io.seriatim.proto.v1.SubmitBatch;
import io.seriatim.proto.v1.SubmitJob;
import io.seriatim.proto.v1.SubmitResults;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Turns one SubmitBatch into Redis enqueues and answers one result per job.
 *
 * <p>Jobs of one key (and one timing) are grouped into one enqueue call, in the batch's order,
 * so a batch of many keys costs one pipelined round trip; a job with its own dedup id is a group
 * of its own. Groups of one key stay in the batch's order, which keeps each key's order. Jobs
 * without a dedup id are deduplicated by the batch's dedup id (one Redis key per script call;
 * delayed groups under {@code batch_dedup_id + "/" + group}): a client that resends the
 * identical batch after a lost answer enqueues nothing twice.
 *
 * <p>What a batch may ask for is bounded before any of it is looked at: more than
 * maxBatchJobs jobs refuse the batch whole with one small answer ({@code refused}), and every
 * reason is cut to {@link #MAX_REASON_CHARS}, since some echo what the client sent (a namespace
 * name): the answer to any batch is at most maxBatchJobs short results.
 *
 * <p>Called on the gateway's Redis threads, one batch of a connection at a time.
 */
final class BatchEnqueuer {
    private static final Logger log = LoggerFactory.getLogger(BatchEnqueuer.class);
    /** The longest rejection reason sent: enough for every message of ours, short for an echo. */
    static final int MAX_REASON_CHARS = 300;
    /**
     * The furthest a job may be put off, by delay_ms or run_at_ms: ten years. It keeps
     * {@code now + delay} far from overflow (a uint64 delay of 2^63 or more reads as negative
     * in Java) and within the exact integers of the doubles Redis scores and Lua use.
     */
    static final long MAX_DELAY_MS = Duration.ofDays(3650).toMillis();

    /** Jobs sharing one enqueue call: their indexes in the batch. */
    private record Group(String key, long delayMs, long runAtMs, String dedupId, List<Integer> jobs) {
        boolean immediate() {
            return delayMs <= 0 && runAtMs < 0;
        }
    }

    private final NamespaceCatalog catalog;
    private final GatewaySettings settings;
    private final GatewayMetrics metrics;

    BatchEnqueuer(NamespaceCatalog catalog, GatewaySettings settings, GatewayMetrics metrics) {
        this.catalog = catalog;
        this.settings = settings;
        this.metrics = metrics;
    }

    @SuppressWarnings("try") // the resource times the block: its close is the point
    SubmitResults enqueue(SubmitBatch batch) {
        int n = batch.getJobsCount();
        metrics.batchSizes.update(n);
        if (n > settings.maxBatchJobs()) {
            return tooLarge(batch);
        }
        JobResult[] results = new JobResult[n];
        KeyedQueue queue;
        try {
            queue = catalog.get(batch.getNamespace());
        } catch (IllegalArgumentException e) { // unknown, or not a valid namespace name
            return rejectAll(batch, Rejection.Code.UNKNOWN_NAMESPACE, e.getMessage());
        } catch (RedisException | JedisException e) {
            return rejectAll(batch, Rejection.Code.UNAVAILABLE, "Redis unavailable: " + e.getMessage());
        }
        if (!batch.getBatchDedupId().isEmpty()) {
            try {
                queue.validator().checkDedupId(batch.getBatchDedupId());
            } catch (InvalidJobException e) {
                return rejectAll(batch, Rejection.Code.INVALID, "batch_dedup_id: " + e.getMessage());
            }
        }
        NewJob[] jobs = new NewJob[n];
        List<Group> groups = group(batch, queue, jobs, results);
        List<Group> immediate = groups.stream().filter(Group::immediate).toList();
        try (Timer.Context ignored = metrics.redisTime.time()) {
            String batchDedup = batch.getBatchDedupId().isEmpty() ? null : batch.getBatchDedupId();
            List<EnqueueResult> done = queue.enqueueAll(immediate.stream().map(g -> request(jobs, g)).toList(),
                    batchDedup, settings.waitReplicas(), settings.waitTimeout());
            for (int i = 0; i < immediate.size(); i++) {
                record(immediate.get(i), done.get(i), results);
            }
            for (Group g : groups) {
                if (!g.immediate()) {
                    EnqueueRequest r = request(jobs, g);
                    record(g, g.runAtMs() >= 0 ? queue.enqueueAt(r, g.runAtMs())
                            : queue.enqueueDelayed(r, Duration.ofMillis(g.delayMs())), results);
                }
            }
        } catch (RedisException | JedisException | NotReplicatedException e) {
            // Some groups may have been written: the client resends the same batch, and the dedup
            // ids make the resend enqueue only what is missing.
            String reason = e instanceof NotReplicatedException ? e.getMessage() : "Redis unavailable: " + e.getMessage();
            log.warn("batch {} of {} jobs answered UNAVAILABLE: {}", batch.getRequestId(), n, reason);
            for (Group g : groups) {
                for (int i : g.jobs()) {
                    results[i] = rejected(Rejection.Code.UNAVAILABLE, reason);
                }
            }
        }
        SubmitResults.Builder out = SubmitResults.newBuilder().setRequestId(batch.getRequestId());
        for (JobResult r : results) {
            out.addResults(r);
            if (r.hasRejected()) {
                metrics.rejected(r.getRejected().getCode());
            }
        }
        metrics.submitted.mark(n);
        return out.build();
    }

    private List<Group> group(SubmitBatch batch, KeyedQueue queue, NewJob[] jobs, JobResult[] results) {
        List<Group> groups = new ArrayList<>();
        Map<String, Group> open = new HashMap<>(); // immediate jobs without a dedup id, by key
        Map<String, Group> openDelayed = new HashMap<>(); // by key, delay and run-at
        long nowMs = System.currentTimeMillis();
        for (int i = 0; i < batch.getJobsCount(); i++) {
            SubmitJob job = batch.getJobs(i);
            long delay = job.hasDelayMs() ? job.getDelayMs() : 0;
            long runAt = job.hasRunAtMs() ? job.getRunAtMs() : -1;
            String dedup = job.getDedupId().isEmpty() ? null : job.getDedupId();
            try {
                jobs[i] = newJob(job);
                queue.validator().checkKey(job.getKey());
                queue.validator().checkJob(jobs[i]);
                if (dedup != null) {
                    queue.validator().checkDedupId(dedup);
                }
                checkTiming(job, nowMs);
            } catch (InvalidJobException e) {
                results[i] = rejected(Rejection.Code.INVALID, e.getMessage());
                continue;
            }
            boolean immediate = delay <= 0 && runAt < 0;
            Map<String, Group> slots = immediate ? open : openDelayed;
            String slot = immediate ? job.getKey() : job.getKey() + "\n" + delay + "\n" + runAt;
            if (dedup != null) {
                slots.remove(slot); // later jobs of this key must come after this one
                groups.add(new Group(job.getKey(), delay, runAt, dedup, new ArrayList<>(List.of(i))));
                continue;
            }
            Group g = slots.get(slot);
            if (g == null || g.jobs().size() == JobValidator.MAX_JOBS_PER_CALL) {
                // Immediate groups are covered by the batch's dedup id (one key per script call);
                // delayed ones are enqueued one by one and carry their own.
                String groupDedup = immediate || batch.getBatchDedupId().isEmpty() ? null
                        : batch.getBatchDedupId() + "/" + groups.size();
                g = new Group(job.getKey(), delay, runAt, groupDedup, new ArrayList<>(2));
                groups.add(g);
                slots.put(slot, g);
            }
            g.jobs().add(i);
        }
        return groups;
    }

    /**
     * A delay or run-at time must be one the queue can keep: not negative (a uint64 delay of
     * 2^63 or more arrives as a negative long) and at most {@link #MAX_DELAY_MS} away. The
     * gateway's clock bounds run_at_ms: over ten years, a skew to the Redis clock does not matter.
     */
    private static void checkTiming(SubmitJob job, long nowMs) {
        if (job.hasDelayMs() && (job.getDelayMs() < 0 || job.getDelayMs() > MAX_DELAY_MS)) {
            throw new InvalidJobException("delay_ms must be in [0, " + MAX_DELAY_MS + "] (ten years), got "
                    + Long.toUnsignedString(job.getDelayMs()));
        }
        if (job.hasRunAtMs() && (job.getRunAtMs() < 0 || job.getRunAtMs() > nowMs + MAX_DELAY_MS)) {
            throw new InvalidJobException("run_at_ms must be >= 0 and at most ten years from now ("
                    + (nowMs + MAX_DELAY_MS) + "), got " + job.getRunAtMs());
        }
    }

    private static EnqueueRequest request(NewJob[] jobs, Group g) {
        List<NewJob> list = new ArrayList<>(g.jobs().size());
        for (int i : g.jobs()) {
            list.add(jobs[i]);
        }
        return new EnqueueRequest(g.key(), list, g.dedupId());
    }

    private static NewJob newJob(SubmitJob job) {
        return new NewJob(job.getPayload().toByteArray(), job.getHeadersCount() == 0 ? Map.of() : job.getHeadersMap());
    }

    private static void record(Group g, EnqueueResult r, JobResult[] results) {
        for (int k = 0; k < g.jobs().size(); k++) {
            long id = r.jobId(k);
            results[g.jobs().get(k)] = r.duplicate() ? JobResult.newBuilder().setDuplicateOf(id).build()
                    : JobResult.newBuilder().setJobId(id).build();
        }
    }

    /** Answers every job UNAVAILABLE without touching Redis (a batch over the limit is refused whole all the same). */
    SubmitResults unavailable(SubmitBatch batch, String reason) {
        return batch.getJobsCount() > settings.maxBatchJobs() ? tooLarge(batch)
                : rejectAll(batch, Rejection.Code.UNAVAILABLE, reason);
    }

    /** One small answer for the whole batch, whatever its size: the point of the limit. */
    private SubmitResults tooLarge(SubmitBatch batch) {
        return tooLarge(batch.getRequestId(), batch.getJobsCount());
    }

    /** The answer to a batch of {@code jobs} jobs over maxBatchJobs, which need not have been parsed. */
    SubmitResults tooLarge(long requestId, long jobs) {
        metrics.rejected(Rejection.Code.BATCH_TOO_LARGE);
        return SubmitResults.newBuilder().setRequestId(requestId).setRefused(Rejection.newBuilder()
                .setCode(Rejection.Code.BATCH_TOO_LARGE).setReason("a batch of " + jobs
                        + " jobs is over the limit of " + settings.maxBatchJobs() + " jobs per batch"
                        + " (HelloOk.max_batch_jobs): nothing of it was enqueued; split it")).build();
    }

    private SubmitResults rejectAll(SubmitBatch batch, Rejection.Code code, String reason) {
        SubmitResults.Builder out = SubmitResults.newBuilder().setRequestId(batch.getRequestId());
        JobResult one = rejected(code, reason); // immutable: one object for every job
        for (int i = 0; i < batch.getJobsCount(); i++) {
            out.addResults(one);
        }
        metrics.rejected(code, batch.getJobsCount());
        return out.build();
    }

    private static JobResult rejected(Rejection.Code code, String reason) {
        String shown = reason == null ? "" : reason;
        if (shown.length() > MAX_REASON_CHARS) {
            shown = shown.substring(0, MAX_REASON_CHARS) + "...";
        }
        return JobResult.newBuilder().setRejected(Rejection.newBuilder().setCode(code).setReason(shown)).build();
    }
}
