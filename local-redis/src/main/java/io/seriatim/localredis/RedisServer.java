package io.seriatim.localredis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import redis.clients.jedis.Jedis;

/**
 * One real {@code redis-server} process on a free loopback port, in its own data directory, with
 * AOF on by default (or a Sentinel, {@link #startSentinel}), that a test may kill, restart on the
 * same data, pause and resume.
 *
 * <p>It never talks to a Redis it did not start. Processes still alive when the JVM exits are
 * killed by a shutdown hook, so a failed or hung test leaves none behind.
 *
 * <p>Not thread-safe: one test thread drives it.
 */
public final class RedisServer implements AutoCloseable {
    /**
     * PIDs of every server this JVM started and has not closed. Static (as are BINARIES below
     * and RedisBinary's extracted file, all per JVM): a shutdown hook is per JVM, and it must
     * reach servers whose owners never ran their cleanup (a test that hung or crashed).
     */
    private static final Set<ProcessHandle> LIVE = ConcurrentHashMap.newKeySet();

    /** Every binary this JVM started a server of: {@link TestRunSummary} reports them at the end of a run. */
    private static final Set<Path> BINARIES = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(ProcessHandle::destroyForcibly),
                "seriatim-redis-reaper"));
    }

    /** The config file a Sentinel reads and rewrites, in its data directory. */
    private static final String SENTINEL_CONF = "sentinel.conf";

    private final Path binary;
    private final Path dir;
    private final List<String> extraArgs;
    private final int port;
    private final boolean sentinel;
    private Process process;
    private boolean paused;

    private RedisServer(Path binary, Path dir, int port, List<String> extraArgs, boolean sentinel) {
        this.binary = binary;
        this.dir = dir;
        this.port = port;
        this.extraArgs = List.copyOf(extraArgs);
        this.sentinel = sentinel;
    }

    /** Starts a server with AOF {@code everysec}. */
    public static RedisServer start() {
        return start(List.of());
    }

    /**
     * Starts a server; {@code extraArgs} are appended to the defaults and override them, e.g.
     * {@code List.of("--appendfsync", "always")} or {@code List.of("--maxmemory", "10mb")}.
     */
    public static RedisServer start(List<String> extraArgs) {
        return start(RedisBinary.resolve(), extraArgs);
    }

    /** Starts the given {@code redis-server} binary (e.g. {@link RedisBinary#embedded()}). */
    public static RedisServer start(Path binary, List<String> extraArgs) {
        try {
            return start(binary, freePort(), extraArgs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the given binary on a chosen port (fails clearly if the port is taken). */
    public static RedisServer start(Path binary, int port, List<String> extraArgs) {
        BINARIES.add(binary);
        try {
            Path dir = Files.createTempDirectory("seriatim-redis-");
            RedisServer server = new RedisServer(binary, dir, port, extraArgs, false);
            server.launch();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts {@code binary} as a Redis Sentinel ({@code redis-server sentinel.conf --sentinel}) on
     * a free port, its config file made of {@code configLines} (e.g. {@code sentinel monitor ...}).
     * The file lives in the data directory, where the Sentinel rewrites it with what it learns,
     * so that a {@link #restart()} comes back knowing the group.
     */
    public static RedisServer startSentinel(Path binary, List<String> configLines) {
        BINARIES.add(binary);
        try {
            Path dir = Files.createTempDirectory("seriatim-sentinel-");
            Files.write(dir.resolve(SENTINEL_CONF), configLines);
            RedisServer server = new RedisServer(binary, dir, freePort(), List.of(), true);
            server.launch();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The binaries this JVM has started servers of, sorted: which Redis a test run used. */
    public static List<Path> binariesStarted() {
        return BINARIES.stream().sorted().toList();
    }

    public String host() { return "127.0.0.1"; }
    public int port() { return port; }
    public String uri() { return "redis://127.0.0.1:" + port; }
    public Path dataDir() { return dir; }
    public long pid() { return process.pid(); }
    public boolean isRunning() { return process != null && process.isAlive(); }
    /** Whether {@link #pause()} stopped it and no {@link #resume()}, kill or restart came since. */
    public boolean isPaused() { return paused && isRunning(); }

    /** The server's version, e.g. {@code 7.0.15}, from INFO server. */
    public String version() {
        try (Jedis j = jedis(Duration.ofSeconds(2))) {
            for (String line : j.info("server").split("\r?\n")) {
                if (line.startsWith("redis_version:")) {
                    return line.substring("redis_version:".length()).strip();
                }
            }
        }
        throw new IllegalStateException("INFO server has no redis_version");
    }

    /** SIGKILL: no shutdown, no final fsync; what AOF had written survives for {@link #restart()}. */
    public void kill() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            waitFor(process);
        }
        if (process != null) {
            LIVE.remove(process.toHandle());
        }
        paused = false;
    }

    /** Starts the server again on the same port and data directory. */
    public void restart() {
        kill();
        launch();
    }

    /** SIGSTOP: the server holds its connections but answers nothing. */
    public void pause() {
        signal("STOP");
        paused = true;
    }

    /** SIGCONT after {@link #pause()}. */
    public void resume() {
        signal("CONT");
        paused = false;
    }

    /** Restarts it if it was killed, resumes it if it was paused: as it was before the test's harm. */
    public void revive() {
        if (!isRunning()) {
            restart();
        } else if (isPaused()) {
            resume();
        }
    }

    /** FLUSHALL on this server only. */
    public void flushAll() {
        try (Jedis j = jedis(Duration.ofSeconds(5))) {
            j.flushAll();
        }
    }

    /** Runs {@code command} on a connection of its own (2 s timeout) and closes it. */
    public <T> T call(Function<Jedis, T> command) {
        try (Jedis j = jedis(Duration.ofSeconds(2))) {
            return command.apply(j);
        }
    }

    /** A plain connection the caller closes. */
    public Jedis jedis(Duration timeout) {
        return new Jedis(host(), port, (int) timeout.toMillis());
    }

    @Override
    public void close() {
        kill();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A temp directory left behind is harmless.
        }
    }

    private List<String> command() {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary.toString());
        if (sentinel) {
            // A Sentinel keeps no data set: no persistence options, and its config file comes first.
            cmd.addAll(List.of(dir.resolve(SENTINEL_CONF).toString(), "--sentinel"));
        }
        cmd.addAll(List.of("--port", Integer.toString(port), "--bind", "127.0.0.1", "--protected-mode", "no",
                "--dir", dir.toString(), "--logfile", dir.resolve("redis.log").toString(), "--daemonize", "no"));
        if (!sentinel) {
            cmd.addAll(List.of("--save", "", "--appendonly", "yes", "--appendfsync", "everysec"));
        }
        cmd.addAll(extraArgs);
        return cmd;
    }

    private void launch() {
        List<String> cmd = command();
        Duration deadline = Duration.ofSeconds(10);
        long until = System.nanoTime() + deadline.toNanos();
        IllegalStateException last = null;
        while (System.nanoTime() < until) {
            try {
                process = new ProcessBuilder(cmd).redirectErrorStream(true)
                        .redirectOutput(dir.resolve("stdout.log").toFile()).start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + binary, e);
            }
            LIVE.add(process.toHandle());
            if (awaitPing(until)) {
                return;
            }
            // Most often the port is still in TIME_WAIT after a kill: try again until the deadline.
            last = new IllegalStateException("redis-server on port " + port + " did not answer PING within "
                    + deadline + "; log tail:\n" + logTail());
            kill();
        }
        throw last != null ? last : new IllegalStateException("redis-server did not start on port " + port);
    }

    private boolean awaitPing(long untilNanos) {
        while (System.nanoTime() < untilNanos) {
            if (!process.isAlive()) {
                return false;
            }
            try (Jedis j = jedis(Duration.ofMillis(500))) {
                if ("PONG".equals(j.ping())) {
                    return true;
                }
            } catch (RuntimeException notYet) {
                // Not listening yet, or loading the AOF.
            }
            try {
                Thread.sleep(20); // polling a child process: there is nothing to wait on
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    private void signal(String name) {
        if (process == null || !process.isAlive()) {
            throw new IllegalStateException("redis-server on port " + port + " is not running");
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
            if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling redis-server", e);
        }
    }

    private String logTail() {
        try {
            Path log = dir.resolve("redis.log");
            Path out = dir.resolve("stdout.log");
            List<String> lines = new ArrayList<>();
            if (Files.exists(out)) {
                lines.addAll(Files.readAllLines(out));
            }
            if (Files.exists(log)) {
                lines.addAll(Files.readAllLines(log));
            }
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void waitFor(Process p) {
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("redis-server " + p.pid() + " did not exit after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }
}
