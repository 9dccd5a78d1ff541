package io.seriatim.tools.bench.deploy;

import io.seriatim.core.settings.NamespaceSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One deployment scenario: the processes it needs ({@link Deployment.Shape}), the client's run, and
 * how it is measured. Each runs twice in the same processes: fresh (their first run) and warm (a
 * second run, on new keys).
 *
 * @param name    what {@code --scenario} selects, e.g. {@code deploy-dense}
 * @param title   the table's row name
 * @param kind    submit and drain at once, or submit into a paused namespace and time the drain
 * @param topology the Redis it runs on; a cluster's rows say so in their title
 * @param head    latencies of jobs submitted in the run's first {@code head} are reported apart
 *                (the JIT's seconds in a fresh process); zero = not split
 */
record DeployScenario(String name, String title, Deployment.Shape shape, Deployment.Topology topology, Kind kind, RunPlan plan,
        Duration head) {
    enum Kind {
        /** The client submits while the workers run: timed from the first submit until every job is acknowledged. */
        AT_ONCE,
        /** Pause, submit everything (timed alone), read Redis' memory, resume: the drain timed from resume. */
        PRELOADED,
        /** As PRELOADED, with only the drain's row. */
        PRELOADED_DRAIN_ONLY
    }

    static final int PAYLOAD_BYTES = 100;

    /**
     * The scenarios at full size, or at {@code --quick}'s tiny sizes (a correctness smoke, seconds
     * each), each once per topology, in that order.
     */
    static List<DeployScenario> all(boolean quick, int workers, List<Deployment.Topology> topologies) {
        Deployment.Shape plain = new Deployment.Shape(workers, 0, 0);
        // parallel-consumer's shape: 256 keys in flight over the whole consumer group.
        int perWorker = Math.max(1, 256 / workers);
        Deployment.Shape sleeping = new Deployment.Shape(workers, perWorker, 1000);
        Duration head = Duration.ofMillis(quick ? 500 : 5000);
        Deployment.Topology standalone = Deployment.Topology.STANDALONE;
        List<DeployScenario> s = new ArrayList<>();
        s.add(new DeployScenario("deploy-dense", "dense: submit and drain at once", plain, standalone, Kind.AT_ONCE,
                fixed(quick ? 50 : 1000, quick ? 40 : 200), Duration.ZERO));
        s.add(new DeployScenario("deploy-dense-preloaded", "dense, preloaded", plain, standalone, Kind.PRELOADED,
                fixed(quick ? 50 : 1000, quick ? 40 : 200), Duration.ZERO));
        s.add(new DeployScenario("deploy-sparse", "sparse: submit and drain at once", plain, standalone, Kind.AT_ONCE,
                fixed(quick ? 1000 : 100_000, 2), Duration.ZERO));
        s.add(new DeployScenario("deploy-sparse-preloaded", "sparse, one job per key, preloaded", plain, standalone, Kind.PRELOADED,
                fixed(quick ? 1000 : 100_000, 1), Duration.ZERO));
        // Light load: what pickup costs when no process waits for a core (the 10k/s rows keep 2 cores ~75% busy).
        s.add(new DeployScenario("deploy-paced-2k", "paced 2k/s", plain, standalone, Kind.AT_ONCE,
                paced(quick ? 500 : 2_000, Duration.ofSeconds(quick ? 1 : 20)), head));
        s.add(new DeployScenario("deploy-paced-10k", "paced 10k/s", plain, standalone, Kind.AT_ONCE,
                paced(quick ? 1000 : 10_000, Duration.ofSeconds(quick ? 1 : 30)), head));
        s.add(new DeployScenario("deploy-paced-50k", "paced 50k/s", plain, standalone, Kind.AT_ONCE,
                paced(quick ? 2000 : 50_000, Duration.ofSeconds(quick ? 1 : 20)), head));
        s.add(new DeployScenario("deploy-sleep", "handler sleeping 1 ms, preloaded", sleeping, standalone, Kind.PRELOADED_DRAIN_ONLY,
                fixed(quick ? 50 : 1000, quick ? 20 : 200), Duration.ZERO));
        s.add(new DeployScenario("deploy-mixed", "mixed: submit flat out for a time while the workers drain", plain, standalone,
                Kind.AT_ONCE, new RunPlan(0, 1000, 0, Duration.ofMillis(quick ? 300 : 10_000), 0, PAYLOAD_BYTES), Duration.ZERO));
        // Each scenario on keys of its own (a million apart: fresh and warm use at most 200,000), so
        // that scenarios sharing processes (--quick) never mix their records.
        List<DeployScenario> apart = new ArrayList<>();
        for (int i = 0; i < s.size(); i++) {
            DeployScenario d = s.get(i);
            for (Deployment.Topology t : topologies) {
                String title = t == standalone ? d.title : d.title + " — Redis Cluster, 3 masters";
                apart.add(new DeployScenario(d.name, title, d.shape, t, d.kind, d.plan.from(i * 1_000_000), d.head));
            }
        }
        return apart;
    }

    private static RunPlan fixed(int keys, int jobsPerKey) {
        return new RunPlan(0, keys, (long) keys * jobsPerKey, Duration.ZERO, 0, PAYLOAD_BYTES);
    }

    /** Paced over 1,000 keys: at 10k/s each key gets a job every 100 ms, so most jobs find their key idle. */
    private static RunPlan paced(int rate, Duration length) {
        return new RunPlan(0, 1000, rate * length.toSeconds(), Duration.ZERO, rate, PAYLOAD_BYTES);
    }

    /** The command-line parameters of the row: the client's run and the flags every process got beyond the defaults. */
    String parameters() {
        String worker = "`worker` ×" + shape.workers() + (shape.concurrency() == 0 ? " (defaults: --concurrency 256 --batch 32)"
                : " `--concurrency " + shape.concurrency() + "` (" + shape.workers() * shape.concurrency() + " keys at once in all)");
        String sleep = shape.sleepMicros() > 0 ? ", handler sleeps " + shape.sleepMicros() + " µs" : "";
        String redis = topology == Deployment.Topology.CLUSTER
                ? "a Redis Cluster of 3 masters (no replicas, AOF everysec; the namespace on the default "
                        + NamespaceSettings.clusterDefaultPartitions(3) + " partitions)"
                : "`redis` (AOF everysec)";
        return "client: " + plan.describe() + "; " + worker + sleep
                + "; `gateway`, `sweeper`, " + redis + ", client `Producer`: defaults";
    }
}
