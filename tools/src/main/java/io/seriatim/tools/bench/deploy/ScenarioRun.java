package io.seriatim.tools.bench.deploy;

import io.seriatim.tools.bench.deploy.DeployScenario.Kind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.HdrHistogram.Histogram;

/**
 * Runs one scenario in a {@link Deployment}, fresh and then warm, and, once the caller has stopped
 * the workers, checks every run against their handlers' records and turns each into table
 * {@link Row}s.
 *
 * <p>The end of a run is seen by polling the namespace's counters in Redis (
 * {@link Progress}: acked grown by the run's jobs, nothing pending) every {@value #POLL_MS} ms,
 * so a run's time is late by up to that much; the bench's CPU for it is reported as "bench".
 * Nothing waits forever: a run fails when no job has been acknowledged for {@code stall}, or a
 * process exits.
 */
final class ScenarioRun {
    static final long POLL_MS = 10;

    /** One measured run, before its records are checked. */
    private record Measured(String phase, RunPlan plan, ClientReport report, double seconds, Usage usage,
            Optional<Double> submitSeconds, Optional<Usage> submitUsage, Optional<Double> bytesPerJob) {}

    private final DeployScenario scenario;
    private final Deployment deployment;
    private final ProcCpu cpu;
    private final Duration stall;
    private final Progress progress;
    private final List<Measured> measured = new ArrayList<>();

    ScenarioRun(DeployScenario scenario, Deployment deployment, ProcCpu cpu, Duration stall) {
        this.scenario = scenario;
        this.deployment = deployment;
        this.cpu = cpu;
        this.stall = stall;
        this.progress = deployment.progress();
    }

    /**
     * Runs the scenario twice in its deployment: fresh (its processes' first run) and warm (the
     * second, on new keys). With {@code freshProcesses} false (--quick, which shares processes
     * between scenarios), both runs are warm and labelled so.
     */
    void measure(boolean freshProcesses) throws InterruptedException {
        measured.add(measure(freshProcesses ? "fresh" : "warm (shared)", scenario.plan()));
        measured.add(measure(freshProcesses ? "warm" : "warm (shared), again", scenario.plan().onNextKeys()));
    }

    /** The plans of the runs measured so far. */
    List<RunPlan> plans() {
        return measured.stream().map(Measured::plan).toList();
    }

    /**
     * The table's rows of the runs measured, checked against {@code all}, every worker's records;
     * {@code strays} runs of keys no run of the deployment submitted to make every row wrong.
     */
    List<Row> rows(Runs all, long strays) {
        List<Row> rows = new ArrayList<>();
        for (Measured m : measured) {
            rows.addAll(rows(m, all, strays));
        }
        return rows;
    }

    private Measured measure(String phase, RunPlan plan) throws InterruptedException {
        return scenario.kind() == Kind.AT_ONCE ? atOnce(phase, plan) : preloaded(phase, plan);
    }

    private Measured atOnce(String phase, RunPlan plan) throws InterruptedException {
        long ackedBefore = acked();
        Usage.Mark from = Usage.Mark.take(deployment, cpu);
        deployment.submit(plan);
        Ended end = awaitAcked(ackedBefore, plan.jobs() > 0 ? plan.jobs() : -1, null);
        Usage.Mark to = Usage.Mark.take(deployment, cpu);
        ClientReport r = end.report() != null ? end.report() : awaitReport(plan);
        checkSubmitted(plan, r);
        return new Measured(phase, plan, r, (end.nanos() - r.firstNanos()) / 1e9, Usage.between(from, to),
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    private Measured preloaded(String phase, RunPlan plan) throws InterruptedException {
        RedisStats stats = deployment.redisStats();
        deployment.queue().pause();
        long memoryBefore = stats.usedMemory();
        long ackedBefore = acked();
        Usage.Mark submitFrom = Usage.Mark.take(deployment, cpu);
        deployment.submit(plan);
        ClientReport r = awaitReport(plan);
        Usage.Mark submitTo = Usage.Mark.take(deployment, cpu);
        checkSubmitted(plan, r);
        long pending = deployment.queue().counts().pendingJobs();
        if (pending != r.submitted()) {
            throw new IllegalStateException("the gateway answered " + r.submitted() + " jobs, Redis holds " + pending);
        }
        double bytesPerJob = (stats.usedMemory() - memoryBefore) / (double) pending - plan.payloadBytes();

        Usage.Mark drainFrom = Usage.Mark.take(deployment, cpu);
        long resumed = System.nanoTime();
        deployment.queue().resume();
        Ended end = awaitAcked(ackedBefore, r.submitted(), r);
        Usage.Mark drainTo = Usage.Mark.take(deployment, cpu);
        return new Measured(phase, plan, r, (end.nanos() - resumed) / 1e9, Usage.between(drainFrom, drainTo),
                Optional.of((r.answeredNanos() - r.firstNanos()) / 1e9), Optional.of(Usage.between(submitFrom, submitTo)),
                Optional.of(bytesPerJob));
    }

    private static void checkSubmitted(RunPlan plan, ClientReport r) {
        if (r.failed() > 0 || r.submitted() == 0 || (plan.jobs() > 0 && r.submitted() != plan.jobs())) {
            throw new IllegalStateException("the client submitted " + r.submitted() + " of " + plan.jobs()
                    + " jobs and " + r.failed() + " failed; see client.log");
        }
    }

    private long acked() {
        return progress.read().acked();
    }

    /** When the end was seen, and the client's report if it came meanwhile. */
    private record Ended(long nanos, ClientReport report) {}

    /**
     * Polls until the run's jobs are all acknowledged and none is pending. {@code expected} -1:
     * the count comes from the client's report (a run of a given length).
     */
    private Ended awaitAcked(long ackedBefore, long expected, ClientReport report) throws InterruptedException {
        long lastAcked = -1;
        long lastProgress = System.nanoTime();
        while (true) {
            Progress.Reading counts = progress.read();
            long now = System.nanoTime();
            long acked = counts.acked() - ackedBefore;
            if (report == null) {
                report = deployment.clientReport().orElse(null);
                if (report != null && report.failed() > 0) {
                    throw new IllegalStateException(report.failed() + " of the client's " + report.submitted()
                            + " submits failed; see client.log");
                }
            }
            long target = expected >= 0 ? expected : report != null ? report.submitted() : -1;
            if (target >= 0 && acked >= target && counts.pending() == 0) {
                return new Ended(now, report);
            }
            if (acked != lastAcked) {
                lastAcked = acked;
                lastProgress = now;
            } else if (now - lastProgress > stall.toNanos()) {
                var all = deployment.queue().counts();
                throw new IllegalStateException("no job acknowledged for " + stall.toSeconds() + " s: " + acked + " of "
                        + (target >= 0 ? target : "?") + " acked, " + all.pendingJobs() + " pending, "
                        + all.leasedKeys() + " keys leased; logs in " + deployment.dir());
            }
            deployment.checkAlive();
            Thread.sleep(POLL_MS); // counters in another process: nothing to wait on
        }
    }

    private ClientReport awaitReport(RunPlan plan) throws InterruptedException {
        // The client waits at most 60 s for its answers; the rest is submitting at a modest 2,000 jobs/s.
        Duration limit = plan.length().plusSeconds(90 + plan.jobs() / 2000);
        long until = System.nanoTime() + limit.toNanos();
        while (true) {
            Optional<ClientReport> r = deployment.clientReport();
            if (r.isPresent()) {
                return r.get();
            }
            deployment.checkAlive();
            if (System.nanoTime() > until) {
                throw new IllegalStateException("the client did not finish its run within " + limit + "; see client.log");
            }
            Thread.sleep(POLL_MS);
        }
    }

    private List<Row> rows(Measured m, Runs all, long strays) {
        ClientReport r = m.report();
        RunRecords rec = RunRecords.check(all, m.plan(), r.submitted(), r.firstNanos(), scenario.head().toNanos(), r.lastNanos());
        boolean correct = rec.correct() && strays == 0;
        String verdict = rec.verdict() + (strays == 0 ? "" : String.format("; %,d runs of keys no run submitted to", strays));
        List<Row> rows = new ArrayList<>();
        long jobs = r.submitted();
        if (m.submitUsage().isPresent() && scenario.kind() == Kind.PRELOADED) {
            Map<String, Double> f = new LinkedHashMap<>();
            f.put("jobs/s", jobs / m.submitSeconds().get());
            usage(f, m.submitUsage().get(), jobs);
            rows.add(new Row(scenario.title() + ": submit only (namespace paused)", m.phase(), f, correct, verdict,
                    scenario.parameters()));
        }
        Map<String, Double> f = new LinkedHashMap<>();
        f.put("jobs/s", jobs / m.seconds());
        if (scenario.kind() == Kind.AT_ONCE) {
            // In a preloaded drain, submit → start is mostly the pause: not a latency worth a figure.
            boolean split = !scenario.head().isZero();
            latency(f, "", split ? rec.rest() : rec.latency());
            if (split) {
                f.put("head s", scenario.head().toMillis() / 1000.0);
                latency(f, "head ", rec.head());
                f.put("client lag ms", r.maxLagNanos() / 1e6);
            }
        }
        if (m.plan().jobs() == 0) { // a run of a given length: how the two sides kept pace while the client submitted
            double submitting = (r.lastNanos() - r.firstNanos()) / 1e9;
            f.put("submitted/s", jobs / submitting);
            f.put("consumed/s while submitting", rec.startedBy() / submitting);
        }
        usage(f, m.usage(), jobs);
        m.bytesPerJob().ifPresent(b -> f.put("B/pending job", b));
        String title = scenario.kind() == Kind.AT_ONCE ? scenario.title() : scenario.title() + ": drain";
        rows.add(new Row(title, m.phase(), f, correct, verdict, scenario.parameters()));
        return rows;
    }

    private static void latency(Map<String, Double> f, String prefix, Histogram h) {
        if (h.getTotalCount() == 0) {
            return;
        }
        f.put(prefix + "p50 ms", h.getValueAtPercentile(50) / 1000.0);
        f.put(prefix + "p99 ms", h.getValueAtPercentile(99) / 1000.0);
        f.put(prefix + "p99.9 ms", h.getValueAtPercentile(99.9) / 1000.0);
    }

    private static void usage(Map<String, Double> f, Usage u, long jobs) {
        double total = 0;
        double workers = 0;
        double redis = 0;
        for (var e : u.cpuMicros().entrySet()) {
            double perJob = e.getValue() / (double) jobs;
            f.put("cpu " + e.getKey(), perJob);
            total += perJob;
            if (e.getKey().startsWith("worker-")) {
                workers += perJob;
            }
            if (e.getKey().startsWith("redis")) { // "redis", or a cluster's "redis-1".."redis-3"
                redis += perJob;
            }
        }
        f.put("cpu workers", workers);
        f.put("cpu redis", redis);
        f.put("cpu total", total);
        f.put("script calls/job", u.scriptCalls() / (double) jobs);
        f.put("script loads/job", u.scriptLoads() / (double) jobs);
    }
}
