package io.seriatim.tools.bench.deploy;

import io.seriatim.core.queue.KeyedQueue;
import io.seriatim.core.redis.RedisConnector;
import io.seriatim.core.redis.RedisSettings;
import io.seriatim.core.settings.StatedSettings;
import io.seriatim.localredis.RedisBinary;
import io.seriatim.localredis.RedisCluster;
import io.seriatim.localredis.RedisServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import redis.clients.jedis.UnifiedJedis;

/**
 * The processes of one scenario, each started as a user starts it ({@link Launch}): {@code
 * seriatim redis} (or, for {@link Topology#CLUSTER}, a local Redis Cluster of three masters,
 * formed by the bench from {@code redis-server} processes), {@code seriatim gateway}, N {@code seriatim worker}s running {@link
 * RecordingHandler} from the tools jar, {@code seriatim sweeper}, and the bench client. All on
 * loopback, logs in {@code dir}; the bench talks to Redis itself only to read counters and to
 * pause and resume the namespace.
 *
 * <p>Children get the bench's environment without its {@code SERIATIM_*} variables, and {@code
 * SERIATIM_CONFIG} pointing at an empty file, so that neither a variable nor a
 * {@code ~/.seriatim.properties} changes what is measured: every setting not on the command line
 * is the product's default.
 *
 * <p>Only the bench's main thread uses a deployment; {@link #close()} stops every process.
 */
final class Deployment implements AutoCloseable {
    static final String NAMESPACE = "bench";
    private static final Pattern GATEWAY_PORT = Pattern.compile("gateway listening on \\S*:(\\d+)");

    /** The Redis a scenario runs on. */
    enum Topology {
        /** One {@code seriatim redis} (AOF everysec). */
        STANDALONE,
        /**
         * A Redis Cluster of three masters and no replicas, each AOF everysec: what one standalone
         * Redis is compared with (neither has a replica on this machine), the namespace on the
         * product's default partitions for three masters.
         */
        CLUSTER
    }

    /**
     * How one scenario's processes are started.
     *
     * @param workers     worker processes
     * @param concurrency each worker's {@code --concurrency}; 0 = the product's default (256)
     * @param sleepMicros how long the handler sleeps per job; 0 = not at all
     */
    record Shape(int workers, int concurrency, long sleepMicros) {
        Shape {
            if (workers < 1 || concurrency < 0 || sleepMicros < 0) {
                throw new IllegalArgumentException("need workers >= 1, concurrency and sleep >= 0, got " + workers
                        + ", " + concurrency + ", " + sleepMicros);
            }
        }

        /** The flags a worker gets beyond {@code --redis}, {@code -n}, {@code --handler} and {@code --classpath}. */
        List<String> workerArgs() {
            return concurrency == 0 ? List.of() : List.of("--concurrency", Integer.toString(concurrency));
        }
    }

    private final Path dir;
    private final Duration startTimeout;
    private final List<Child> children = new ArrayList<>(); // in start order
    private final List<Child> workers = new ArrayList<>();
    private Child client;
    /** The redis-server processes by name: "redis", or "redis-1".."redis-3", a cluster's masters. */
    private final Map<String, Long> redisPids = new LinkedHashMap<>();
    private final List<RedisServer> redisNodes = new ArrayList<>(); // their servers, for INFO
    private RedisCluster cluster;
    private UnifiedJedis redis;
    private KeyedQueue queue;

    private Deployment(Path dir, Duration startTimeout) {
        this.dir = dir;
        this.startTimeout = startTimeout;
    }

    /** Starts every process and waits until each says it is serving. */
    static Deployment start(Launch launch, Shape shape, Topology topology, Path dir, Duration startTimeout)
            throws InterruptedException {
        Deployment d = new Deployment(dir, startTimeout);
        try {
            d.startAll(launch, shape, topology);
            return d;
        } catch (RuntimeException | InterruptedException e) {
            d.close();
            throw e;
        }
    }

    private void startAll(Launch launch, Shape shape, Topology topology) throws InterruptedException {
        Map<String, String> env = environment();
        String uri = topology == Topology.CLUSTER ? startCluster() : startStandalone(launch, env);
        redis = RedisConnector.connect(RedisSettings.builder(uri).poolSize(4).build());
        // Registered here, with the product's defaults (1 partition; 4 per master on a cluster),
        // before a gateway or client asks for it. Adopted, not stated: a stated NamespaceSettings
        // states its partition count too (1), which a cluster would then put on one master.
        queue = KeyedQueue.open(redis, StatedSettings.adopt(NAMESPACE));

        Child gateway = start("gateway", launch.product(List.of("gateway", "--redis", uri, "--host", "127.0.0.1",
                "--port", "0")), env);
        for (int i = 1; i <= shape.workers(); i++) {
            Map<String, String> workerEnv = new HashMap<>(env);
            workerEnv.put(RecordingHandler.RECORDS_ENV, recordsOf(i).toString());
            workerEnv.put(RecordingHandler.SLEEP_ENV, Long.toString(shape.sleepMicros()));
            List<String> args = new ArrayList<>(List.of("worker", "--redis", uri, "-n", NAMESPACE,
                    "--handler", RecordingHandler.class.getName(), "--classpath", launch.toolsJar().toString()));
            args.addAll(shape.workerArgs());
            workers.add(start("worker-" + i, launch.product(args), workerEnv));
        }
        Child sweeper = start("sweeper", launch.product(List.of("sweeper", "--redis", uri, "-n", NAMESPACE)), env);

        Matcher m = GATEWAY_PORT.matcher(await(gateway, l -> GATEWAY_PORT.matcher(l).find()));
        m.find();
        client = start("client", launch.tools(List.of("bench-client", "--gateway", "127.0.0.1:" + m.group(1),
                "-n", NAMESPACE)), env);
        for (Child w : workers) {
            await(w, l -> l.startsWith("worker serving namespace"));
        }
        await(sweeper, l -> l.startsWith("sweeper serving"));
        await(client, l -> l.equals(BenchClientCommand.READY));
    }

    private String startStandalone(Launch launch, Map<String, String> env) throws InterruptedException {
        String port = Integer.toString(freePort());
        Child redisJvm = start("redis", launch.product(List.of("redis", "--port", port)), env);
        await(redisJvm, l -> l.startsWith("redis-server ") && l.contains(" on redis://"));
        // By "redis", not "redis-server": Debian's redis-server is a link to redis-check-rdb, which /proc names.
        redisPids.put("redis", redisJvm.children().stream()
                .filter(h -> h.info().command().map(c -> c.contains("redis")).orElse(false))
                .findFirst().orElseThrow(() -> new IllegalStateException("seriatim redis started no redis-server process"))
                .pid());
        String uri = "redis://127.0.0.1:" + port;
        redisNodes.add(null); // INFO through the deployment's own connection
        return uri;
    }

    /** {@code seriatim redis} starts no cluster: the bench forms one as an operator would, from redis-servers. */
    private String startCluster() {
        cluster = RedisCluster.startMastersOnly(RedisBinary.resolve());
        List<RedisServer> masters = cluster.masters();
        for (int i = 0; i < masters.size(); i++) {
            redisPids.put("redis-" + (i + 1), masters.get(i).pid());
            redisNodes.add(masters.get(i));
        }
        return cluster.uri();
    }

    private Map<String, String> environment() {
        Path noConfig = dir.resolve("no-config.properties");
        try {
            Files.writeString(noConfig, "# empty: the bench's processes run on their flags and the product's defaults\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> env = new HashMap<>(System.getenv());
        env.keySet().removeIf(k -> k.startsWith("SERIATIM_"));
        env.put("SERIATIM_CONFIG", noConfig.toString());
        return env;
    }

    private Child start(String name, List<String> command, Map<String, String> env) {
        Child c = Child.start(name, command, env, dir);
        children.add(c);
        return c;
    }

    private Path recordsOf(int worker) {
        return dir.resolve("worker-" + worker + ".records");
    }

    /** Waits for a line of {@code child}'s log; fails at once if any process has exited. */
    private String await(Child child, Predicate<String> wanted) throws InterruptedException {
        long until = System.nanoTime() + startTimeout.toNanos();
        while (true) {
            Optional<String> line = child.nextLine(wanted);
            if (line.isPresent()) {
                return line.get();
            }
            checkAlive();
            if (System.nanoTime() > until) {
                throw new IllegalStateException(child.name() + " did not say it was ready within " + startTimeout
                        + "; the last lines of " + child.log() + ":\n" + child.tail(20));
            }
            Thread.sleep(20); // a child's log: nothing to wait on but the file
        }
    }

    /** Throws, with the last lines of its log, if any process has exited. */
    void checkAlive() {
        children.forEach(Child::checkAlive);
    }

    KeyedQueue queue() {
        return queue;
    }

    /** The counters that tell a run's end, cheaply. */
    Progress progress() {
        return new Progress(redis, queue);
    }

    /** INFO summed over every redis-server of the deployment (a cluster's masters). */
    RedisStats redisStats() {
        return new RedisStats(redisNodes.stream().<java.util.function.Function<String, String>>map(node -> node == null
                ? redis::info : section -> node.call(j -> j.info(section))).toList());
    }

    Path dir() {
        return dir;
    }

    /** The measured processes by name, in table order: client, gateway, worker-1..N, sweeper, the redis-servers. */
    Map<String, Long> pids() {
        Map<String, Long> pids = new LinkedHashMap<>();
        pids.put("client", client.pid());
        for (Child c : children) {
            if (!c.name().equals("redis") && !c.name().equals("client")) {
                pids.put(c.name(), c.pid());
            }
        }
        pids.putAll(redisPids);
        return pids;
    }

    /** Starts a run in the client process. */
    void submit(RunPlan plan) {
        client.send(plan.toLine());
    }

    /** The client's report of the run it was last given, once it has finished it. */
    Optional<ClientReport> clientReport() {
        return client.nextLine(l -> l.startsWith(ClientReport.PREFIX)).map(ClientReport::parse);
    }

    /**
     * Stops the workers with SIGTERM, as a user's service manager would, and reads what their
     * handlers recorded (written on the way out).
     */
    Runs stopWorkers() throws InterruptedException, IOException {
        workers.forEach(Child::terminate);
        List<Runs> parts = new ArrayList<>();
        for (int i = 0; i < workers.size(); i++) {
            Child w = workers.get(i);
            boolean exited = w.awaitExit(Duration.ofSeconds(30));
            Path records = recordsOf(i + 1);
            if (!Files.isRegularFile(records)) {
                throw new IllegalStateException(w.name() + (exited ? "" : " did not exit within 30 s of SIGTERM and")
                        + " left no records in " + records + "; the last lines of " + w.log() + ":\n" + w.tail(20));
            }
            parts.add(Runs.readFrom(records));
        }
        children.removeAll(workers);
        return Runs.concat(parts);
    }

    /** Deletes the handlers' records (large; kept only when a run was wrong, to look into). */
    void deleteRecords() throws IOException {
        for (int i = 1; i <= workers.size(); i++) {
            Files.deleteIfExists(recordsOf(i));
        }
    }

    /** Stops every process still running: SIGTERM to all, then up to 15 s each before SIGKILL. */
    @Override
    public void close() {
        if (redis != null) {
            redis.close();
        }
        children.forEach(Child::terminate);
        try {
            for (Child c : children) {
                c.awaitExit(Duration.ofSeconds(15));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            children.forEach(Child::close);
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
