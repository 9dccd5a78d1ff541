package io.seriatim.tools.faults;

import io.seriatim.core.keys.PartitionKeys;
import io.seriatim.core.queue.KeyedQueue;
import io.seriatim.localredis.RedisCluster;
import io.seriatim.localredis.RedisSentinelGroup;
import io.seriatim.localredis.RedisServer;
import io.seriatim.tools.faults.RigSettings.Topology;
import io.seriatim.verify.FaultEvent.Target;
import io.seriatim.verify.RunRecorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import redis.clients.jedis.util.JedisClusterCRC16;

/** The catalogue of fault scenarios and their plans. */
final class FaultScenarios {
    static final String POISON_KEY = "key-7";
    static final long POISON_SEQ = 5;
    /** Acknowledged submits must survive a failover: each waits for a replica to have it. */
    private static final List<String> WAIT_ONE = List.of("--wait-replicas", "1");

    private FaultScenarios() {}

    static List<Scenario> all() {
        return List.of(
                new Scenario("baseline", "no fault", UnaryOperator.identity(), FaultScenarios::none, false, Map.of(), true,
                        true),
                new Scenario("operator-acts", "every 20-120 ms a random park, unpark, DLQ replay (head or tail), pause or "
                        + "resume under load; no two runs of a key may overlap", UnaryOperator.identity(),
                        FaultScenarios::operatorActs, false, Map.of(), false, true),
                new Scenario("kill-worker", "kill -9 a random worker every 3 s, restart it 0.5 s later",
                        UnaryOperator.identity(), FaultScenarios::killWorkers, false, Map.of(), true),
                new Scenario("crash-before-ack", "every 3 s a random worker halts after a job's work, before its "
                        + "ack (SIGUSR1 to verify-consume --crash-on-signal), restarted 0.5 s later",
                        s -> s.withWorkerArgs(List.of("--crash-on-signal")), FaultScenarios::crashWorkers, false,
                        Map.of(), true),
                new Scenario("stop-worker", "SIGSTOP a random worker for 2.5 x the lease, then SIGCONT",
                        UnaryOperator.identity(), FaultScenarios::stopWorkers, false, Map.of(), true),
                new Scenario("slow-worker", "one worker CPU-starved: stopped 80 ms of every 100 ms",
                        UnaryOperator.identity(), FaultScenarios::starveWorker, false, Map.of(), false),
                new Scenario("kill-redis-everysec", "kill -9 Redis (AOF fsync everysec) every 4 s, restart after 1 s",
                        s -> s.withRedisArgs(List.of("--appendfsync", "everysec")), FaultScenarios::killRedis, true,
                        Map.of(), true),
                new Scenario("kill-redis-always", "kill -9 Redis (AOF fsync always) every 4 s, restart after 1 s",
                        s -> s.withRedisArgs(List.of("--appendfsync", "always")), FaultScenarios::killRedis, false,
                        Map.of(), true),
                new Scenario("stop-redis", "SIGSTOP Redis for 1.5 x the lease, then SIGCONT",
                        UnaryOperator.identity(), FaultScenarios::stopRedis, false, Map.of(), true),
                new Scenario("kill-gateway", "kill -9 the gateway every 3 s, restart after 1 s; the client resends",
                        UnaryOperator.identity(), FaultScenarios::killGateway, false, Map.of(), true),
                new Scenario("poison-job", "job 5 of " + POISON_KEY + " always throws: its key parks, the others go on",
                        s -> s.withWorkerArgs(List.of("--poison", POISON_KEY + ":" + POISON_SEQ)), FaultScenarios::none, false,
                        Map.of(POISON_KEY, POISON_SEQ), true),
                new Scenario("maxmemory", "Redis at maxmemory (noeviction) with workers stopped: submits refused, "
                        + "then workers resume under the limit", s -> s.withRedisArgs(List.of("--maxmemory-policy",
                        "noeviction")), FaultScenarios::fillMemory, false, Map.of(), false),
                new Scenario("cut-worker", "worker 1's network link to Redis taken down for 3 x the lease (its own "
                        + "network namespace; needs root), then back: it must not act on its lost leases",
                        RigSettings::withIsolatedWorker, FaultScenarios::cutWorker, false, Map.of(), true),
                new Scenario("many-sweepers", "3 sweepers at once while workers are killed every 3 s",
                        s -> s.withSweepers(3), FaultScenarios::killWorkers, false, Map.of(), true),
                new Scenario("cluster-kill-master", "Redis Cluster (3 masters + 3 replicas), gateway --wait-replicas 1: "
                        + "kill -9 a random master; its replica takes over; the old master rejoins as its replica",
                        s -> s.withTopology(Topology.CLUSTER).withGatewayArgs(WAIT_ONE), FaultScenarios::killMasters,
                        false, Map.of(), false),
                new Scenario("cluster-kill-master-nowait", "the same without --wait-replicas: what a failover loses when "
                        + "submits are acknowledged before a replica has them (loss allowed, counted)",
                        s -> s.withTopology(Topology.CLUSTER), FaultScenarios::killMasters, true, Map.of(), false),
                new Scenario("cluster-reshard", "Redis Cluster: every 2 s the slot of a random partition moves, with its "
                        + "busy keys, to another master (clients meet MOVED, ASK, TRYAGAIN)",
                        s -> s.withTopology(Topology.CLUSTER), FaultScenarios::reshard, false, Map.of(), false),
                new Scenario("cluster-frozen-replica", "Redis Cluster, gateway --wait-replicas 1: SIGSTOP the replica of a "
                        + "random master for 3 s, then SIGCONT: its master's submits wait, none is acknowledged unreplicated",
                        s -> s.withTopology(Topology.CLUSTER).withGatewayArgs(WAIT_ONE), FaultScenarios::freezeReplica,
                        false, Map.of(), false),
                new Scenario("sentinel-failover", "Sentinel (master, replica, 3 Sentinels), gateway --wait-replicas 1: "
                        + "kill -9 the master; the Sentinels promote the replica; the old master rejoins as its replica",
                        s -> s.withTopology(Topology.SENTINEL).withGatewayArgs(WAIT_ONE), FaultScenarios::killSentinelMaster,
                        false, Map.of(), false));
    }

    static void none(Rig rig, FaultLog log, Duration phase, java.util.Random random) {
        Rig.sleep(phase.toMillis());
    }

    /**
     * An operator (or a script of one) at work while keys run: each act must wait for a running
     * holder. Every key parked is unparked and the namespace resumed before the phase ends, so
     * the rig drains. The rig's namespace parks on failure, so its DLQ is empty and replays find
     * nothing: the model test (core) runs replays against holders.
     */
    static void operatorActs(Rig rig, FaultLog log, Duration phase, java.util.Random random) {
        KeyedQueue queue = rig.queue();
        long end = System.nanoTime() + phase.toNanos();
        java.util.Set<String> parked = new java.util.TreeSet<>();
        boolean paused = false;
        while (System.nanoTime() < end) {
            Rig.sleep(20 + random.nextInt(100));
            String key = "key-" + random.nextInt(rig.settings().keys());
            long at = System.nanoTime();
            String act;
            switch (random.nextInt(8)) {
                case 0, 1, 2 -> {
                    act = "park (" + queue.park(key, "faults: operator-acts").status() + ")";
                    parked.add(key);
                }
                case 3, 4 -> {
                    act = "unpark (" + queue.unpark(key) + ")";
                    parked.remove(key);
                }
                case 5 -> {
                    boolean toHead = random.nextBoolean();
                    queue.replayDead(key, toHead, 100);
                    act = "dlq replay" + (toHead ? " --to-head" : "");
                }
                default -> {
                    act = paused ? "resume" : "pause";
                    if (paused) {
                        queue.resume();
                    } else {
                        queue.pause();
                    }
                    paused = !paused;
                }
            }
            log.record(act + " " + key, Target.REDIS, -1, at, System.nanoTime());
        }
        parked.forEach(queue::unpark);
        queue.resume();
    }

    static void killWorkers(Rig rig, FaultLog log, Duration phase, java.util.Random random) throws InterruptedException {
        long end = System.nanoTime() + phase.toNanos();
        while (System.nanoTime() + 3_000_000_000L < end) {
            Rig.sleep(3000);
            int i = random.nextInt(rig.workerCount());
            long at = System.nanoTime();
            long pid = rig.killWorker(i);
            log.record("kill -9 worker", Target.WORKER, pid, at, at);
            Rig.sleep(500);
            rig.restartWorker(i);
        }
        sleepUntil(end);
    }

    static void crashWorkers(Rig rig, FaultLog log, Duration phase, java.util.Random random) throws InterruptedException {
        long end = System.nanoTime() + phase.toNanos();
        while (System.nanoTime() + 3_000_000_000L < end) {
            Rig.sleep(3000);
            int i = random.nextInt(rig.workerCount());
            Process p = rig.worker(i);
            Rig.signal(p.pid(), "USR1");
            if (!p.waitFor(5, TimeUnit.SECONDS)) { // no job came to end: crash it the hard way
                p.destroyForcibly().waitFor();
            }
            long at = rig.exitTime(p);
            log.record(p.exitValue() == RunRecorder.CRASH_EXIT ? "crash before ack" : "kill -9 worker (idle)",
                    Target.WORKER, p.pid(), at, at);
            Rig.sleep(500);
            rig.restartWorker(i);
        }
        sleepUntil(end);
    }

    static void stopWorkers(Rig rig, FaultLog log, Duration phase, java.util.Random random) {
        long end = System.nanoTime() + phase.toNanos();
        long stopFor = rig.settings().lease().toMillis() * 5 / 2;
        do {
            Rig.sleep(1000);
            long pid = rig.worker(random.nextInt(rig.workerCount())).pid();
            long at = System.nanoTime();
            Rig.signal(pid, "STOP");
            Rig.sleep(stopFor);
            Rig.signal(pid, "CONT");
            log.record("SIGSTOP worker", Target.WORKER, pid, at, System.nanoTime());
        } while (System.nanoTime() + (stopFor + 1000) * 1_000_000 < end);
        sleepUntil(end);
    }

    static void cutWorker(Rig rig, FaultLog log, Duration phase, java.util.Random random) {
        long end = System.nanoTime() + phase.toNanos();
        long pid = rig.worker(0).pid();
        Rig.sleep(1000);
        long at = System.nanoTime();
        rig.cutIsolatedWorker();
        Rig.sleep(rig.settings().lease().toMillis() * 3);
        rig.healIsolatedWorker();
        log.record("network cut worker", Target.WORKER, pid, at, System.nanoTime());
        sleepUntil(end);
    }

    static void starveWorker(Rig rig, FaultLog log, Duration phase, java.util.Random random) {
        long end = System.nanoTime() + phase.toNanos();
        long pid = rig.worker(0).pid();
        log.countOnly();
        while (System.nanoTime() < end) {
            Rig.signal(pid, "STOP");
            Rig.sleep(80);
            Rig.signal(pid, "CONT");
            Rig.sleep(20);
        }
    }

    static void killRedis(Rig rig, FaultLog log, Duration phase, java.util.Random random) {
        long end = System.nanoTime() + phase.toNanos();
        while (System.nanoTime() + 4_000_000_000L < end) {
            Rig.sleep(3000);
            long pid = rig.redis().pid();
            long at = System.nanoTime();
            rig.redis().kill();
            Rig.sleep(1000);
            rig.redis().restart();
            log.record("kill -9 redis", Target.REDIS, pid, at, System.nanoTime());
        }
        sleepUntil(end);
    }

    static void stopRedis(Rig rig, FaultLog log, Duration phase, java.util.Random random) {
        long end = System.nanoTime() + phase.toNanos();
        Rig.sleep(1000);
        long at = System.nanoTime();
        rig.redis().pause();
        Rig.sleep(rig.settings().lease().toMillis() * 3 / 2);
        rig.redis().resume();
        log.record("SIGSTOP redis", Target.REDIS, rig.redis().pid(), at, System.nanoTime());
        sleepUntil(end);
    }

    static void killGateway(Rig rig, FaultLog log, Duration phase, java.util.Random random) throws InterruptedException {
        long end = System.nanoTime() + phase.toNanos();
        while (System.nanoTime() + 3_000_000_000L < end) {
            Rig.sleep(2000);
            long at = System.nanoTime();
            long pid = rig.killGateway();
            Rig.sleep(1000);
            rig.restartGateway();
            log.record("kill -9 gateway", Target.GATEWAY, pid, at, System.nanoTime());
        }
        sleepUntil(end);
    }

    /**
     * Stops the workers, caps Redis a little above what it holds, and lets the producer run into
     * the cap; then resumes the workers while still capped (their acks must work under the cap)
     * and lifts it.
     */
    static void fillMemory(Rig rig, FaultLog log, Duration phase, java.util.Random random) {
        long end = System.nanoTime() + phase.toNanos();
        List<Long> pids = new ArrayList<>();
        for (int i = 0; i < rig.workerCount(); i++) {
            pids.add(rig.worker(i).pid());
        }
        pids.forEach(pid -> Rig.signal(pid, "STOP"));
        rig.configSet("maxmemory", Long.toString(rig.usedMemory() + 512 * 1024));
        log.countOnly();
        sleepUntil(end);
        pids.forEach(pid -> Rig.signal(pid, "CONT"));
        Rig.sleep(2000);
        rig.configSet("maxmemory", "0");
    }

    /** Kills a random master, waits out the failover, brings it back as a replica; again while the phase lasts. */
    static void killMasters(Rig rig, FaultLog log, Duration phase, java.util.Random random) {
        long end = System.nanoTime() + phase.toNanos();
        RedisCluster cluster = rig.cluster();
        do {
            Rig.sleep(1000);
            List<RedisServer> masters = cluster.masters();
            RedisServer master = masters.get(random.nextInt(masters.size()));
            long pid = master.pid();
            long at = System.nanoTime();
            master.kill();
            cluster.awaitHealthy(); // its replica has taken over
            master.restart();
            cluster.awaitHealthy(); // and it replicates the new master
            log.record("kill -9 cluster master", Target.REDIS, pid, at, System.nanoTime());
        } while (System.nanoTime() + 8_000_000_000L < end);
        sleepUntil(end);
    }

    /** Moves the slot of a random partition to another master every 2 s. */
    static void reshard(Rig rig, FaultLog log, Duration phase, java.util.Random random) {
        long end = System.nanoTime() + phase.toNanos();
        RedisCluster cluster = rig.cluster();
        while (System.nanoTime() + 2_000_000_000L < end) {
            Rig.sleep(1000);
            PartitionKeys partition = rig.queue().keys().partition(random.nextInt(rig.queue().partitionCount()));
            int slot = JedisClusterCRC16.getSlot(partition.prefix());
            RedisServer from = cluster.masterOfSlot(slot);
            List<RedisServer> others = cluster.masters().stream().filter(m -> m != from).toList();
            RedisServer to = others.get(random.nextInt(others.size()));
            long at = System.nanoTime();
            cluster.migrateSlot(slot, to);
            log.record("reshard slot " + slot + " (" + partition.prefix() + ") " + from.port() + " -> " + to.port(),
                    Target.REDIS, from.pid(), at, System.nanoTime());
            Rig.sleep(1000);
        }
        sleepUntil(end);
    }

    /** SIGSTOP the replica of a random master for 3 s. */
    static void freezeReplica(Rig rig, FaultLog log, Duration phase, java.util.Random random) {
        long end = System.nanoTime() + phase.toNanos();
        RedisCluster cluster = rig.cluster();
        Rig.sleep(1000);
        List<RedisServer> masters = cluster.masters();
        RedisServer replica = cluster.replicaOf(masters.get(random.nextInt(masters.size()))).orElseThrow();
        long at = System.nanoTime();
        replica.pause();
        Rig.sleep(3000);
        replica.resume();
        cluster.awaitHealthy();
        log.record("SIGSTOP cluster replica", Target.REDIS, replica.pid(), at, System.nanoTime());
        sleepUntil(end);
    }

    /** kill -9 the Sentinels' master; once they name the replica, the old master restarts as its replica. */
    static void killSentinelMaster(Rig rig, FaultLog log, Duration phase, java.util.Random random) {
        long end = System.nanoTime() + phase.toNanos();
        RedisSentinelGroup group = rig.sentinel();
        Rig.sleep(1000);
        RedisServer master = group.master();
        long pid = master.pid();
        long at = System.nanoTime();
        master.kill();
        while (group.master() == master) {
            if (System.nanoTime() - at > 30_000_000_000L) {
                throw new IllegalStateException("the Sentinels did not promote the replica within 30 s");
            }
            Rig.sleep(100);
        }
        RedisServer promoted = group.master();
        master.restart();
        // The Sentinels would reconfigure it at their next INFO (up to 10 s): do it now, as they will.
        master.call(j -> j.replicaof(promoted.host(), promoted.port()));
        group.awaitHealthy();
        log.record("kill -9 sentinel master", Target.REDIS, pid, at, System.nanoTime());
        sleepUntil(end);
    }

    private static void sleepUntil(long nanos) {
        long left = nanos - System.nanoTime();
        if (left > 0) {
            Rig.sleep(left / 1_000_000);
        }
    }
}
