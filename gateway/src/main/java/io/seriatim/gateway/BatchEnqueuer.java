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
 * <p>Called on the gateway's Redis threads, one batch of a connection at a time.
 */
final class BatchEnqueuer {
    private static final Logger log = LoggerFactory.getLogger(BatchEnqueuer.class);

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
                if (job.hasRunAtMs() && runAt < 0) {
                    throw new InvalidJobException("run_at_ms must be >= 0, got " + runAt);
                }
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

    /** Answers every job UNAVAILABLE without touching Redis. */
    SubmitResults unavailable(SubmitBatch batch, String reason) {
        return rejectAll(batch, Rejection.Code.UNAVAILABLE, reason);
    }

    private SubmitResults rejectAll(SubmitBatch batch, Rejection.Code code, String reason) {
        SubmitResults.Builder out = SubmitResults.newBuilder().setRequestId(batch.getRequestId());
        for (int i = 0; i < batch.getJobsCount(); i++) {
            out.addResults(rejected(code, reason));
            metrics.rejected(code);
        }
        return out.build();
    }

    private static JobResult rejected(Rejection.Code code, String reason) {
        return JobResult.newBuilder().setRejected(Rejection.newBuilder().setCode(code).setReason(reason)).build();
    }
}
