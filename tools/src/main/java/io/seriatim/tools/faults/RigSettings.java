package io.seriatim.tools.faults;

import java.time.Duration;
import java.util.List;

/**
 * The shape of one fault-suite run.
 *
 * @param redisArgs      extra redis-server arguments (AOF fsync policy, maxmemory)
 * @param workers        worker processes
 * @param sweepers       sweeper processes
 * @param workerArgs     extra verify-consume arguments for every worker (fault injection)
 * @param lease          workers' lease time
 * @param sweepInterval  sweepers' interval
 * @param keys           ordering keys the producer spreads jobs over
 * @param rate           jobs per second the producer submits
 * @param produceFor     how long the producer submits (the fault phase runs meanwhile)
 * @param workMs         milliseconds each job works
 * @param maxAttempts    runs a job may have before its key is parked
 * @param isolatedWorker worker 1 runs in its own network namespace, so that its link to Redis
 *                       can be cut ({@link NetworkNamespace}; needs root)
 * @param topology       one Redis, a local Cluster (3 masters, 3 replicas) or a Sentinel group
 * @param gatewayArgs    extra gateway arguments ({@code --wait-replicas})
 */
record RigSettings(List<String> redisArgs, int workers, int sweepers, List<String> workerArgs, Duration lease,
        Duration sweepInterval, int keys, int rate, Duration produceFor, long workMs, int maxAttempts,
        boolean isolatedWorker, Topology topology, List<String> gatewayArgs) {

    /** What the rig's Redis is. */
    enum Topology { STANDALONE, CLUSTER, SENTINEL }

    RigSettings {
        redisArgs = List.copyOf(redisArgs);
        workerArgs = List.copyOf(workerArgs);
        gatewayArgs = List.copyOf(gatewayArgs);
        if (topology != Topology.STANDALONE && (!redisArgs.isEmpty() || isolatedWorker)) {
            throw new IllegalArgumentException("redis arguments and an isolated worker need a standalone Redis");
        }
        if (workers < 1 || sweepers < 1 || keys < 1 || rate < 1 || maxAttempts < 1) {
            throw new IllegalArgumentException("workers, sweepers, keys, rate and maxAttempts must be >= 1");
        }
    }

    /** Jobs each key gets so that the producer runs for about {@link #produceFor}. */
    int jobsPerKey() {
        return (int) Math.max(1, rate * produceFor.toMillis() / 1000 / keys);
    }

    /** Longest a worker fault may keep a key from running: lease, one sweep, and a margin for a busy 2-core machine. */
    Duration recoveryBound() {
        return lease.plus(sweepInterval).plusSeconds(1);
    }

    RigSettings withRedisArgs(List<String> args) {
        return new RigSettings(args, workers, sweepers, workerArgs, lease, sweepInterval, keys, rate, produceFor, workMs,
                maxAttempts, isolatedWorker, topology, gatewayArgs);
    }

    RigSettings withSweepers(int n) {
        return new RigSettings(redisArgs, workers, n, workerArgs, lease, sweepInterval, keys, rate, produceFor, workMs,
                maxAttempts, isolatedWorker, topology, gatewayArgs);
    }

    RigSettings withIsolatedWorker() {
        return new RigSettings(redisArgs, workers, sweepers, workerArgs, lease, sweepInterval, keys, rate, produceFor, workMs,
                maxAttempts, true, topology, gatewayArgs);
    }

    RigSettings withWorkerArgs(List<String> args) {
        return new RigSettings(redisArgs, workers, sweepers, args, lease, sweepInterval, keys, rate, produceFor, workMs,
                maxAttempts, isolatedWorker, topology, gatewayArgs);
    }

    RigSettings withTopology(Topology t) {
        return new RigSettings(redisArgs, workers, sweepers, workerArgs, lease, sweepInterval, keys, rate, produceFor, workMs,
                maxAttempts, isolatedWorker, t, gatewayArgs);
    }

    RigSettings withGatewayArgs(List<String> args) {
        return new RigSettings(redisArgs, workers, sweepers, workerArgs, lease, sweepInterval, keys, rate, produceFor, workMs,
                maxAttempts, isolatedWorker, topology, args);
    }
}
