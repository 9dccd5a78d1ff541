package io.seriatim.tools.faults;

import io.seriatim.core.queue.KeyedQueue;
import io.seriatim.core.queue.QueueCounts;
import io.seriatim.core.redis.RedisConnector;
import io.seriatim.core.redis.RedisSettings;
import io.seriatim.core.settings.FailurePolicy;
import io.seriatim.core.settings.NamespaceSettings;
import io.seriatim.localredis.LocalDeployment;
import io.seriatim.localredis.RedisCluster;
import io.seriatim.localredis.RedisSentinelGroup;
import io.seriatim.localredis.RedisServer;
import io.seriatim.tools.launch.ChildJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.UnifiedJedis;

/**
 * The processes of one fault-suite run, all on loopback: a Redis, or a local Cluster or
 * Sentinel group (owned here, so that any of its servers can be killed, restarted and paused),
 * and as child JVMs a gateway, the workers ({@code verify-consume}),
 * the sweepers and the verifiable producer. Histories go to {@code dir}: {@code produced.jsonl},
 * {@code consumed-<i>.jsonl} (a restarted worker appends to its predecessor's file), and each
 * process's log.
 *
 * <p>Only the fault plan's thread drives a rig; {@link #close()} kills every child and Redis.
 */
final class Rig implements AutoCloseable {
    static final String NAMESPACE = "faults";
    /** Partitions of the namespace on a Cluster rig: two per master, more or less. */
    static final int CLUSTER_PARTITIONS = 6;

    private final RigSettings settings;
    private final Path dir;
    /** The Redis of a standalone rig; null on a Cluster or Sentinel group. */
    private final RedisServer redis;
    /** The Cluster or Sentinel group; null on a standalone rig. */
    private final LocalDeployment deployment;
    private final String redisUri;
    private final UnifiedJedis client;
    private final KeyedQueue queue;
    private final int gatewayPort;
    private final List<Process> workers = new ArrayList<>();
    private final List<Process> sweepers = new ArrayList<>();
    private final int[] workerGenerations;
    /** When each worker process exited (System.nanoTime()), set by the JDK's process reaper thread. */
    private final Map<Long, Long> exits = new ConcurrentHashMap<>();
    private Process gateway;
    private Process producer;
    /** Where worker 1 runs when the scenario cuts it off; null otherwise. */
    private final NetworkNamespace isolation;

    private Rig(RigSettings settings, Path dir) {
        this.settings = settings;
        this.dir = dir;
        this.isolation = settings.isolatedWorker() ? NetworkNamespace.create() : null;
        List<String> redisArgs = new ArrayList<>(settings.redisArgs());
        if (isolation != null) {
            redisArgs.addAll(List.of("--bind", "127.0.0.1", isolation.hostIp())); // reachable from the namespace too
        }
        RedisServer server = null;
        LocalDeployment group = null;
        UnifiedJedis connection = null;
        try {
            switch (settings.topology()) {
                case STANDALONE -> server = RedisServer.start(redisArgs);
                case CLUSTER -> group = RedisCluster.start();
                case SENTINEL -> group = RedisSentinelGroup.start();
            }
            this.redisUri = server != null ? server.uri() : group.uri();
            connection = RedisConnector.connect(RedisSettings.of(redisUri));
            this.queue = KeyedQueue.open(connection, namespaceSettings());
        } catch (RuntimeException e) { // nothing else owns these yet
            if (connection != null) {
                connection.close();
            }
            if (server != null) {
                server.close();
            }
            if (group != null) {
                group.close();
            }
            if (isolation != null) {
                isolation.close();
            }
            throw e;
        }
        this.redis = server;
        this.deployment = group;
        this.client = connection;
        this.gatewayPort = freePort();
        this.workerGenerations = new int[settings.workers()];
    }

    static Rig start(RigSettings settings, Path dir) {
        Rig rig = new Rig(settings, dir);
        try {
            rig.startGateway();
            for (int i = 0; i < settings.sweepers(); i++) {
                rig.sweepers.add(rig.launch("sweeper-" + (i + 1), List.of("sweeper", "--redis", rig.redisUri, "-n",
                        NAMESPACE, "--interval", settings.sweepInterval().toString(), "--failure-policy", "PARK",
                        "--max-attempts", Integer.toString(settings.maxAttempts()))));
            }
            for (int i = 0; i < settings.workers(); i++) {
                rig.workers.add(rig.launchWorker(i));
            }
            rig.awaitGateway();
            return rig;
        } catch (RuntimeException e) {
            rig.close();
            throw e;
        }
    }

    NamespaceSettings namespaceSettings() {
        // On a Cluster, partitions on every master, so that a master's fault hits some keys, not all.
        return NamespaceSettings.builder(NAMESPACE).maxAttempts(settings.maxAttempts()).failurePolicy(FailurePolicy.PARK)
                .partitions(settings.topology() == RigSettings.Topology.CLUSTER ? CLUSTER_PARTITIONS : 1).build();
    }

    /** The namespace as opened: its partitions' keys, for faults aimed at a partition's slot. */
    KeyedQueue queue() {
        return queue;
    }

    RigSettings settings() {
        return settings;
    }

    /** The standalone Redis; only on a standalone rig. */
    RedisServer redis() {
        if (redis == null) {
            throw new IllegalStateException("this rig runs a " + settings.topology() + " deployment, not one Redis");
        }
        return redis;
    }

    /** The local Cluster; only on a Cluster rig. */
    RedisCluster cluster() {
        if (!(deployment instanceof RedisCluster c)) {
            throw new IllegalStateException("this rig runs a " + settings.topology() + " deployment, not a Cluster");
        }
        return c;
    }

    /** The Sentinel group; only on a Sentinel rig. */
    RedisSentinelGroup sentinel() {
        if (!(deployment instanceof RedisSentinelGroup g)) {
            throw new IllegalStateException("this rig runs a " + settings.topology() + " deployment, not Sentinel");
        }
        return g;
    }

    QueueCounts counts() {
        return queue.counts();
    }

    Path produced() {
        return dir.resolve("produced.jsonl");
    }

    List<Path> consumed() {
        List<Path> out = new ArrayList<>();
        for (int i = 0; i < settings.workers(); i++) {
            out.add(dir.resolve("consumed-" + (i + 1) + ".jsonl"));
        }
        return out;
    }

    void startProducer() {
        producer = launch("producer", List.of("verify-produce", "--gateway", "127.0.0.1:" + gatewayPort, "-n", NAMESPACE,
                "--keys", Integer.toString(settings.keys()), "--jobs-per-key", Integer.toString(settings.jobsPerKey()),
                "--rate", Integer.toString(settings.rate()), "--out", produced().toString()));
    }

    /** Waits until jobs are being acknowledged: every process is up, so a fault hits a running system. */
    void awaitFlowing(Duration timeout) {
        long until = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < until) {
            if (queue.counts().counters().getOrDefault("acked", 0L) > 0) {
                return;
            }
            sleep(50);
        }
        throw new IllegalStateException("no job was acknowledged within " + timeout + "; see the logs in " + dir);
    }

    boolean producerRunning() {
        return producer != null && producer.isAlive();
    }

    /** Waits for the producer to finish; false if it did not within the timeout (it is then killed). */
    boolean awaitProducer(Duration timeout) throws InterruptedException {
        if (producer.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return true;
        }
        producer.destroyForcibly().waitFor();
        return false;
    }

    int workerCount() {
        return workers.size();
    }

    Process worker(int i) {
        return workers.get(i);
    }

    /** kill -9 one worker; returns its pid. */
    long killWorker(int i) throws InterruptedException {
        Process p = workers.get(i);
        p.destroyForcibly().waitFor();
        return p.pid();
    }

    /** When an exited worker process ended, on the runs' clock. */
    long exitTime(Process worker) {
        worker.onExit().join();
        return exits.computeIfAbsent(worker.pid(), pid -> System.nanoTime()); // callback not run yet: now is close
    }

    /** Starts a new process in the place of worker {@code i} (a crashed pod coming back). */
    Process restartWorker(int i) {
        Process p = launchWorker(i);
        workers.set(i, p);
        return p;
    }

    long killGateway() throws InterruptedException {
        long pid = gateway.pid();
        gateway.destroyForcibly().waitFor();
        return pid;
    }

    void restartGateway() {
        startGateway();
        awaitGateway();
    }

    long gatewayPid() {
        return gateway.pid();
    }

    /** Every child process now, by role (gateway, worker-1, sweeper-1, producer), for the soak's memory samples. */
    Map<String, Process> processes() {
        Map<String, Process> out = new java.util.LinkedHashMap<>();
        out.put("gateway", gateway);
        for (int i = 0; i < workers.size(); i++) {
            out.put("worker-" + (i + 1), workers.get(i));
        }
        for (int i = 0; i < sweepers.size(); i++) {
            out.put("sweeper-" + (i + 1), sweepers.get(i));
        }
        if (producer != null) {
            out.put("producer", producer);
        }
        return out;
    }

    /** Sends a signal (STOP, CONT, ...) to a child process. */
    static void signal(long pid, String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).start();
            if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + pid + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling " + pid, e);
        }
    }

    /** Redis CONFIG SET, for faults that change a setting live (maxmemory). */
    void configSet(String name, String value) {
        client.configSet(name, value);
    }

    long usedMemory() {
        String info = client.info("memory");
        for (String line : info.split("\r\n")) {
            if (line.startsWith("used_memory:")) {
                return Long.parseLong(line.substring("used_memory:".length()));
            }
        }
        throw new IllegalStateException("no used_memory in INFO memory");
    }

    /**
     * Waits until every submitted job has run: nothing pending, leased or ready, but for parked
     * keys, whose jobs stay. Returns false at the timeout.
     */
    boolean awaitDrained(Duration timeout) throws InterruptedException {
        long until = System.nanoTime() + timeout.toNanos();
        long stableSince = 0;
        long lastPending = -1;
        while (System.nanoTime() < until) {
            try {
                QueueCounts c = queue.counts();
                if (c.pendingJobs() == 0) {
                    return true;
                }
                boolean onlyParked = c.parkedKeys() > 0 && c.leasedKeys() == 0 && c.readyKeys() == 0;
                if (onlyParked && c.pendingJobs() == lastPending) {
                    if (stableSince == 0) {
                        stableSince = System.nanoTime();
                    } else if (System.nanoTime() - stableSince > TimeUnit.SECONDS.toNanos(2)) {
                        return true;
                    }
                } else {
                    stableSince = 0;
                }
                lastPending = c.pendingJobs();
            } catch (RuntimeException redisBusy) {
                // Redis restarting or loading: ask again.
            }
            Thread.sleep(100);
        }
        return false;
    }

    /** What the namespace holds now, for a report of why it did not drain. */
    String describeCounts() {
        try {
            QueueCounts c = queue.counts();
            return "pending " + c.pendingJobs() + ", ready " + c.readyKeys() + ", leased " + c.leasedKeys() + ", parked "
                    + c.parkedKeys();
        } catch (RuntimeException e) {
            return "counts unreadable: " + e.getMessage();
        }
    }

    /** Stops the workers gracefully (SIGTERM: each finishes its job and acknowledges). */
    void stopWorkers() throws InterruptedException {
        for (Process p : workers) {
            p.destroy();
        }
        for (Process p : workers) {
            if (!p.waitFor(15, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
            }
        }
    }

    @Override
    public void close() {
        List<Process> all = new ArrayList<>(workers);
        all.addAll(sweepers);
        if (gateway != null) {
            all.add(gateway);
        }
        if (producer != null) {
            all.add(producer);
        }
        for (Process p : all) {
            p.destroyForcibly(); // SIGKILL ends a stopped process too
        }
        for (Process p : all) {
            try {
                p.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        client.close();
        if (redis != null) {
            redis.close();
        }
        if (deployment != null) {
            deployment.close();
        }
        if (isolation != null) {
            isolation.close();
        }
    }

    /** Takes isolated worker 1's link to Redis down (see {@link RigSettings#isolatedWorker()}). */
    void cutIsolatedWorker() {
        isolation.cut();
    }

    void healIsolatedWorker() {
        isolation.heal();
    }

    private Process launchWorker(int i) {
        int generation = ++workerGenerations[i];
        boolean isolated = i == 0 && isolation != null;
        String uri = isolated ? "redis://" + isolation.hostIp() + ":" + redis.port() : redisUri;
        List<String> args = new ArrayList<>(List.of("verify-consume", "--redis", uri, "-n", NAMESPACE,
                "--worker-id", "worker-" + (i + 1) + "." + generation, "--lease", settings.lease().toString(),
                "--max-attempts", Integer.toString(settings.maxAttempts()), "--failure-policy", "PARK",
                "--concurrency", "64", "--batch", "16", "--work-ms", Long.toString(settings.workMs()),
                "--out", consumed().get(i).toString(), "--parent-pid", Long.toString(ProcessHandle.current().pid())));
        args.addAll(settings.workerArgs());
        Process p = launch("worker-" + (i + 1), isolated ? isolation.exec() : List.of(), args);
        p.onExit().thenRun(() -> exits.putIfAbsent(p.pid(), System.nanoTime()));
        return p;
    }

    private void startGateway() {
        List<String> args = new ArrayList<>(List.of("gateway", "--redis", redisUri, "--host", "127.0.0.1", "--port",
                Integer.toString(gatewayPort)));
        args.addAll(settings.gatewayArgs());
        gateway = launch("gateway", args);
    }

    private void awaitGateway() {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < until) {
            if (!gateway.isAlive()) {
                throw new IllegalStateException("the gateway exited with " + gateway.exitValue() + "; see "
                        + dir.resolve("gateway.log"));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", gatewayPort), 200);
                return;
            } catch (IOException notYet) {
                sleep(50);
            }
        }
        throw new IllegalStateException("the gateway did not listen on " + gatewayPort + " within 30 s");
    }

    /**
     * A child JVM running one seriatim command. C1 only and a small serial-GC heap: six JVMs and
     * Redis share two cores here, and start-up matters more than peak speed in a fault run.
     */
    private Process launch(String name, List<String> command) {
        return launch(name, List.of(), command);
    }

    /** As {@link #launch(String, List)}, behind {@code prefix} (ip netns exec ..., which execs the JVM in place: same pid). */
    private Process launch(String name, List<String> prefix, List<String> command) {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(ChildJvm.command(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m"),
                ChildJvm.PRODUCT_MAIN, command));
        try {
            return new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".log").toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
