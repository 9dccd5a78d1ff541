package io.seriatim.core.queue;

import static io.seriatim.core.script.Args.num;
import static io.seriatim.core.script.Args.text;
import static io.seriatim.core.settings.Check.atLeast;

import io.seriatim.core.keys.NamespaceKeys;
import io.seriatim.core.keys.PartitionKeys;
import io.seriatim.core.redis.Outcome;
import io.seriatim.core.redis.RedisException;
import io.seriatim.core.script.Reply;
import io.seriatim.core.script.Script;
import io.seriatim.core.script.ScriptRunner;
import io.seriatim.core.script.ScriptStatus;
import io.seriatim.core.settings.NamespaceSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A worker's side of the queue: claim keys, then ack, renew, fail or release what it holds. Every
 * call names the lease, and the scripts refuse a stale one.
 *
 * <p>Stateless and thread-safe.
 */
final class Leases {
    private final NamespaceSettings settings;
    private final NamespaceKeys keys;
    private final ScriptRunner scripts;

    Leases(NamespaceSettings settings, NamespaceKeys keys, ScriptRunner scripts) {
        this.settings = settings;
        this.keys = keys;
        this.scripts = scripts;
    }

    Claim claim(int partition, String workerId, int maxKeys, Duration lease, int batch) {
        atLeast("maxKeys", maxKeys, 1);
        atLeast("batch", batch, 1);
        PartitionKeys p = keys.partition(partition);
        Reply r = scripts.run(Script.CLAIM,
                List.of(p.ready(), p.leases(), p.owners(), p.fence(), p.attempts(), p.paused(), p.bell()),
                List.of(p.prefixBytes(), text(workerId), num(maxKeys), num(lease.toMillis()), num(batch)));
        return readClaim(r, partition, workerId);
    }

    /**
     * claim's answer: {nowMs, nextDueMs or -1, n, then n times: key, fence, deadline, headAttempts,
     * jobCount, jobs...}, or {nowMs, -2, 0} while paused.
     */
    private static Claim readClaim(Reply r, int partition, String workerId) {
        long now = r.integer(0);
        long nextDue = r.integer(1);
        if (nextDue == -2) {
            return new Claim(now, -1, true, List.of());
        }
        int granted = r.count(2);
        List<ClaimedKey> claimed = new ArrayList<>(granted);
        int i = 3;
        for (int g = 0; g < granted; g++) {
            String key = r.text(i);
            long fence = r.integer(i + 1);
            long deadline = r.integer(i + 2);
            int headAttempts = r.count(i + 3);
            int n = r.count(i + 4);
            i += 5;
            List<Job> jobs = new ArrayList<>(n);
            for (int j = 0; j < n; j++) {
                jobs.add(JobCodec.decode(r.bytes(i + j), key, j == 0 ? headAttempts + 1 : 1));
            }
            i += n;
            claimed.add(new ClaimedKey(new Lease(key, partition, fence, workerId, deadline), jobs));
        }
        return new Claim(now, nextDue, false, claimed);
    }

    AckResult ack(Lease lease, List<Long> jobIds, Duration leaseTime, int batch, int skip) {
        return ackAll(List.of(new AckRequest(lease, jobIds, batch, skip)), leaseTime).getFirst().get();
    }

    /**
     * One ack script call per partition and worker, all in one pipeline; the answers in the
     * requests' order, each call's error given to its own requests only. A key may appear only
     * once: a repeat in the same call is answered HEAD_MISMATCH.
     */
    List<Outcome<AckResult>> ackAll(List<AckRequest> requests, Duration leaseTime) {
        List<List<Integer>> groups = byPartitionAndWorker(requests.stream().map(AckRequest::lease).toList());
        List<ScriptRunner.Call> calls = new ArrayList<>(groups.size());
        for (List<Integer> group : groups) {
            Lease first = requests.get(group.getFirst()).lease();
            PartitionKeys p = keys.partition(first.partition());
            List<byte[]> a = new ArrayList<>(5 + group.size() * 6);
            a.add(p.prefixBytes());
            a.add(text(first.workerId()));
            a.add(num(leaseTime.toMillis()));
            a.add(num(settings.fairnessJobs()));
            a.add(num(settings.fairnessTime().toMillis()));
            for (int i : group) {
                AckRequest r = requests.get(i);
                a.add(text(r.lease().key()));
                a.add(num(r.lease().fence()));
                a.add(num(r.batch()));
                a.add(num(r.skip()));
                a.add(num(r.jobIds().size()));
                r.jobIds().forEach(id -> a.add(num(id)));
            }
            calls.add(new ScriptRunner.Call(Script.ACK,
                    List.of(p.ready(), p.leases(), p.owners(), p.attempts(), p.stats(), p.bell(), p.deferred()), a));
        }
        List<ScriptRunner.CallResult> replies = scripts.runEach(calls, 0, 0);
        List<Outcome<AckResult>> results = new ArrayList<>(Collections.nCopies(requests.size(), null));
        for (int g = 0; g < groups.size(); g++) {
            Outcome<Reply> reply = replies.get(g).outcome();
            if (reply.failed()) {
                groups.get(g).forEach(i -> results.set(i, Outcome.failed(reply.error())));
            } else {
                readAck(reply.value(), groups.get(g), requests, results);
            }
        }
        return List.copyOf(results);
    }

    /**
     * ack's answer, per group: {CONTINUE, deadline, m, m jobs} or one of RELEASED, YIELDED,
     * HANDED_OVER, STALE, HEAD_MISMATCH.
     */
    private static void readAck(Reply r, List<Integer> group, List<AckRequest> requests,
            List<Outcome<AckResult>> results) {
        int at = 0;
        for (int i : group) {
            ScriptStatus status = r.status(at++);
            if (status != ScriptStatus.CONTINUE) {
                results.set(i, Outcome.of(new AckResult(status, -1, List.of())));
                continue;
            }
            long deadline = r.integer(at);
            int m = r.count(at + 1);
            at += 2;
            String key = requests.get(i).lease().key();
            List<Job> next = new ArrayList<>(m);
            for (int j = 0; j < m; j++) {
                next.add(JobCodec.decode(r.bytes(at + j), key, 1));
            }
            at += m;
            results.set(i, Outcome.of(new AckResult(status, deadline, next)));
        }
    }

    /**
     * The leases' positions, grouped by partition and worker in order of first appearance: a
     * script call covers one partition (one slot) and takes one worker id.
     */
    private static List<List<Integer>> byPartitionAndWorker(List<Lease> leases) {
        Map<List<Object>, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < leases.size(); i++) {
            Lease lease = leases.get(i);
            groups.computeIfAbsent(List.of(lease.partition(), lease.workerId()), g -> new ArrayList<>()).add(i);
        }
        return new ArrayList<>(groups.values());
    }

    /** One renew script call per partition and worker, all in one pipeline, each call's error given to its own leases only. */
    Renewal renew(List<Lease> leases, Duration leaseTime) {
        List<List<Lease>> groups = byPartitionAndWorker(leases).stream()
                .map(group -> group.stream().map(leases::get).toList()).toList();
        List<ScriptRunner.Call> calls = new ArrayList<>(groups.size());
        for (List<Lease> group : groups) {
            PartitionKeys p = keys.partition(group.getFirst().partition());
            List<byte[]> a = new ArrayList<>(2 + 2 * group.size());
            a.add(text(group.getFirst().workerId()));
            a.add(num(leaseTime.toMillis()));
            for (Lease lease : group) {
                a.add(text(lease.key()));
                a.add(num(lease.fence()));
            }
            calls.add(new ScriptRunner.Call(Script.RENEW, List.of(p.leases(), p.owners()), a));
        }
        List<ScriptRunner.CallResult> replies = scripts.runEach(calls, 0, 0);
        List<Lease> renewed = new ArrayList<>(leases.size());
        List<Lease> stale = new ArrayList<>();
        Map<Lease, RedisException> failed = new LinkedHashMap<>();
        for (int g = 0; g < groups.size(); g++) {
            Outcome<Reply> reply = replies.get(g).outcome();
            if (reply.failed()) {
                groups.get(g).forEach(lease -> failed.put(lease, reply.error()));
            } else {
                readRenew(reply.value(), groups.get(g), renewed, stale);
            }
        }
        return new Renewal(renewed, stale, failed);
    }

    /** renew's answer: {deadline, then 1 (renewed) or -1 (stale) per lease of the call}. */
    private static void readRenew(Reply r, List<Lease> group, List<Lease> renewed, List<Lease> stale) {
        long deadline = r.integer(0);
        for (int i = 0; i < group.size(); i++) {
            if (r.integer(i + 1) == 1) {
                renewed.add(group.get(i).withDeadline(deadline));
            } else {
                stale.add(group.get(i));
            }
        }
    }

    FailResult fail(Lease lease, long jobId, String error, boolean retryable, Duration delay) {
        PartitionKeys p = keys.partition(lease.partition());
        Reply r = scripts.run(Script.FAIL,
                List.of(p.ready(), p.leases(), p.owners(), p.attempts(), p.stats(), p.bell(), p.queue(lease.key()),
                        p.deferred()),
                List.of(p.prefixBytes(), text(lease.key()), text(lease.workerId()), num(lease.fence()), num(jobId),
                        text(error == null ? "" : error), num(retryable ? 1 : 0), num(settings.maxAttempts()),
                        num(Math.max(0, delay.toMillis())), text(settings.failurePolicy().name())));
        return readFail(r);
    }

    /** fail's answer: {RETRY, attempts, readyAtMs}, {DEAD | PARKED, attempts} or {STALE | HEAD_MISMATCH}. */
    private static FailResult readFail(Reply r) {
        return new FailResult(r.status(0), r.size() > 1 ? r.count(1) : 0, r.size() > 2 ? r.integer(2) : -1);
    }

    boolean release(Lease lease) {
        PartitionKeys p = keys.partition(lease.partition());
        Reply r = scripts.run(Script.RELEASE, List.of(p.ready(), p.leases(), p.owners(), p.bell(), p.deferred()),
                List.of(p.prefixBytes(), text(lease.key()), text(lease.workerId()), num(lease.fence())));
        return r.status(0) == ScriptStatus.OK; // else STALE
    }
}
