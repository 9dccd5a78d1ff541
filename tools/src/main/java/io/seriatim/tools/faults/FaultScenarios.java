package io.seriatim.tools.faults;

import io.seriatim.verify.FaultEvent.Target;
import io.seriatim.verify.RunRecorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/** The catalogue of fault scenarios and their plans. */
final class FaultScenarios {
    static final String POISON_KEY = "key-7";
    static final long POISON_SEQ = 5;

    private FaultScenarios() {}

    static List<Scenario> all() {
        return List.of(
                new Scenario("baseline", "no fault", UnaryOperator.identity(), FaultScenarios::none, false, Map.of(), true),
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
                        s -> s.withSweepers(3), FaultScenarios::killWorkers, false, Map.of(), true));
    }

    static void none(Rig rig, FaultLog log, Duration phase, java.util.Random random) {
        Rig.sleep(phase.toMillis());
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

    private static void sleepUntil(long nanos) {
        long left = nanos - System.nanoTime();
        if (left > 0) {
            Rig.sleep(left / 1_000_000);
        }
    }
}
