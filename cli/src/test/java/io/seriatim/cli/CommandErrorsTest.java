package io.seriatim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.seriatim.core.queue.KeyedQueue;
import io.seriatim.core.settings.NamespaceSettings;
import io.seriatim.testkit.RedisExtension;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import redis.clients.jedis.Jedis;

/**
 * Each mistake a person can make with the command: exit code and one line saying what was wrong
 * and what to do, never a stack trace. Only a bug prints one.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS) // a command that wrongly started would serve until killed
class CommandErrorsTest {
    @RegisterExtension
    static final RedisExtension redis = new RedisExtension();

    /** Something listening, so that its port is in use. */
    static ServerSocket taken;
    /** A port nothing listens on. */
    static int deadPort;

    @TempDir
    static Path dir;

    @BeforeAll
    static void ports() throws IOException {
        taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
    }

    @AfterAll
    static void closePorts() throws IOException {
        taken.close();
    }

    record Run(int exit, String out, String err) {}

    static Run run(CommandLine cli, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    static Run run(String... args) {
        return run(Seriatim.commandLine(), args);
    }

    String live() {
        return redis.server().uri();
    }

    static String dead() {
        return "redis://127.0.0.1:" + deadPort;
    }

    /** Asserts the exit code, and that stderr is one line naming what was wrong. */
    static void assertOneLine(Run r, int exit, String... says) {
        assertThat(r.exit()).as(r.err()).isEqualTo(exit);
        String line = r.err().strip();
        assertThat(line).as("one line").doesNotContain("\n").startsWith("seriatim: ")
                .doesNotContain("at io.", "Exception").contains(says);
    }

    // Ports

    @Test
    void aGatewayPortInUseIsNamedWithWhatToDo() {
        assertOneLine(run("gateway", "--redis", live(), "--host", "127.0.0.1", "--port", Integer.toString(taken.getLocalPort())),
                ExitCode.USAGE, "cannot listen on 127.0.0.1:" + taken.getLocalPort() + " (Address already in use)",
                "choose another --port");
    }

    @Test
    void aGatewayPortInUseIsReportedEvenWhileRedisIsDown() {
        assertOneLine(run("gateway", "--redis", dead(), "--host", "127.0.0.1", "--port", Integer.toString(taken.getLocalPort())),
                ExitCode.USAGE, "Address already in use");
    }

    @Test
    void aGatewayThatRefusesTheConnectionFailsAtOnceSayingNothingWasSent() {
        long start = System.nanoTime();
        assertOneLine(run("verify-produce", "--gateway", "127.0.0.1:" + deadPort, "-n", "ops", "--keys", "1",
                "--jobs-per-key", "1"), ExitCode.REDIS_UNAVAILABLE, "nothing was sent", "check that a gateway runs there");
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).as("at once, not after the request timeout")
                .isLessThan(java.time.Duration.ofSeconds(10));
    }

    @Test
    void redisRefusingAnOperationIsOneLineAndANo() {
        io.seriatim.core.queue.KeyedQueue clobbered = io.seriatim.core.queue.KeyedQueue.open(redis.client(),
                io.seriatim.core.settings.NamespaceSettings.builder("clobbered").build());
        redis.client().set(clobbered.keys().partition(0).ready(), "not a zset".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertOneLine(run("stats", "-n", "clobbered", "--redis", live()), ExitCode.FAILED, "WRONGTYPE");
    }

    @Test
    void aPortOutOfRangeIsRefused() {
        assertOneLine(run("gateway", "--redis", live(), "--port", "70000"), ExitCode.USAGE, "port must be in [0, 65535], got 70000");
        assertOneLine(run("worker", "--redis", live(), "--metrics-port", "70000"), ExitCode.USAGE,
                "--metrics-port must be in [0, 65535], got 70000");
        assertOneLine(run("worker", "--redis", live(), "--metrics-port", "-2"), ExitCode.USAGE,
                "--metrics-port must be at least -1, got -2");
        assertOneLine(run("redis", "--port", "0"), ExitCode.USAGE, "--port must be at least 1, got 0");
    }

    @Test
    void aPortThatIsNoNumberIsOneLineNotTheUsage() {
        assertOneLine(run("gateway", "--port", "abc"), ExitCode.USAGE, "Invalid value for option '--port': 'abc' is not an int",
                "see 'seriatim gateway --help'");
    }

    @Test
    void aMetricsPortInUseIsNamed() {
        assertOneLine(run("sweeper", "--redis", live(), "--metrics-host", "127.0.0.1", "--metrics-port",
                Integer.toString(taken.getLocalPort())), ExitCode.USAGE, "Address already in use", "choose another --metrics-port");
    }

    @Test
    void anUnknownListenHostIsNamed() {
        assertOneLine(run("gateway", "--redis", live(), "--host", "no-such-host.invalid", "--port", "0"), ExitCode.USAGE,
                "cannot listen on no-such-host.invalid:0: unknown host");
    }

    @Test
    void aRedisPortInUseIsRefusedBeforeStartingAServerThatWouldExit() {
        assertOneLine(run("redis", "--port", Integer.toString(redis.server().port())), ExitCode.USAGE,
                "Address already in use", "choose another --port");
    }

    // Redis addresses

    @Test
    void anUnreachableRedisExitsThree() {
        assertOneLine(run("stats", "--redis", dead()), ExitCode.REDIS_UNAVAILABLE,
                "Redis at " + dead() + " unavailable (Connection refused): check that Redis runs there");
    }

    @Test
    void anUnreachableClusterExitsThree() {
        String cluster = "redis-cluster://127.0.0.1:" + deadPort;
        assertOneLine(run("stats", "--redis", cluster), ExitCode.REDIS_UNAVAILABLE,
                "Redis at " + cluster + " unavailable (Connection refused)");
        assertOneLine(run("worker", "--fail-fast", "--redis", cluster), ExitCode.REDIS_UNAVAILABLE, "unavailable");
    }

    @Test
    void aClusterAddressForASingleServerSaysSo() {
        String cluster = "redis-cluster://127.0.0.1:" + redis.server().port();
        assertOneLine(run("stats", "--redis", cluster), ExitCode.USAGE,
                "is not a Redis Cluster (ERR This instance has cluster support disabled)", "write redis://host:port");
    }

    @Test
    void anUnreachableSentinelExitsThree() {
        assertOneLine(run("stats", "--redis", "redis-sentinel://127.0.0.1:" + deadPort + "/main"), ExitCode.REDIS_UNAVAILABLE,
                "unavailable (All sentinels down");
    }

    @Test
    void aDatabaseThatIsNoNumberIsNamed() {
        assertOneLine(run("stats", "--redis", live() + "/abc"), ExitCode.USAGE,
                "after the port comes a database number, e.g. redis://127.0.0.1:6379/0, not 'abc'");
    }

    @Test
    void aDatabaseRedisDoesNotHaveIsNamed() {
        assertOneLine(run("stats", "--redis", live() + "/99"), ExitCode.USAGE, "has no such database (ERR DB index is out of range)");
    }

    @Test
    void anAddressWithoutAPortOrScheme() {
        assertOneLine(run("stats", "--redis", "redis://h:p/abc"), ExitCode.USAGE, "needs a host and a port");
        assertOneLine(run("stats", "--redis", "localhost:6379"), ExitCode.USAGE, "must start with redis://");
    }

    @Test
    void aWrongPasswordIsNamedAndNotPrinted() {
        try (Jedis admin = redis.server().jedis(Duration.ofSeconds(2))) {
            admin.aclSetUser("ops-user", "on", ">right", "~*", "+@all");
        }
        try {
            String address = "redis://ops-user:wrong@127.0.0.1:" + redis.server().port();
            Run r = run("stats", "--redis", address);
            assertOneLine(r, ExitCode.USAGE, "Redis at redis://***@127.0.0.1:" + redis.server().port()
                    + " refused the login (WRONGPASS");
            assertThat(r.err()).doesNotContain("wrong@");
        } finally {
            try (Jedis admin = redis.server().jedis(Duration.ofSeconds(2))) {
                admin.aclDelUser("ops-user");
            }
        }
    }

    // Durations

    @Test
    void aDurationWithoutUnitAsksForOne() {
        assertOneLine(run("worker", "--redis", live(), "--lease", "30"), ExitCode.USAGE,
                "Invalid value for option '--lease': '30' has no unit; add a unit, e.g. 30s or 30ms (accepted: 500ms, 30s, 2m, 1h or ISO-8601 such as PT30S)");
        assertOneLine(run("sweeper", "--interval", "soon"), ExitCode.USAGE,
                "Invalid value for option '--interval': 'soon' is not a duration");
        assertOneLine(run("stats", "--redis-timeout", "-1s"), ExitCode.USAGE, "'-1s' is not a duration");
        assertOneLine(run("worker", "--redis", live(), "--job-timeout", "PT-1S"), ExitCode.USAGE,
                "Invalid value for option '--job-timeout': 'PT-1S' is negative");
    }

    @Test
    void aDurationWithAUnitReachesTheSettings() {
        // Parsed, then refused by the worker's own range check: the value got through as 50 ms.
        assertOneLine(run("worker", "--redis", live(), "--lease", "50ms"), ExitCode.USAGE, "leaseTime must be at least PT0.1S, got PT0.05S");
        assertOneLine(run("sweeper", "--redis", live(), "--interval", "2h"), ExitCode.USAGE, "interval must be between 10 ms and 1 h, got PT2H");
    }

    // Limits, names and files

    @Test
    void limitsBelowTheirMinimumNameTheFlag() {
        KeyedQueue.open(redis.client(), NamespaceSettings.builder("ops").build());
        assertOneLine(run("dlq", "list", "-n", "ops", "--redis", live(), "--limit", "0"), ExitCode.USAGE, "--limit must be at least 1, got 0");
        assertOneLine(run("dlq", "replay", "-n", "ops", "--redis", live(), "--limit", "-3"), ExitCode.USAGE, "--limit must be at least 1, got -3");
        assertOneLine(run("dlq", "purge", "-n", "ops", "--redis", live(), "--limit", "0"), ExitCode.USAGE, "--limit must be at least 1, got 0");
        assertOneLine(run("inspect", "k", "-n", "ops", "--redis", live(), "--peek", "-1"), ExitCode.USAGE, "--peek must be at least 0, got -1");
        assertOneLine(run("worker", "--redis", live(), "--concurrency", "0"), ExitCode.USAGE, "concurrency must be in [1, 100000], got 0");
        assertOneLine(run("verify-produce", "--keys", "0"), ExitCode.USAGE, "--keys must be at least 1, got 0");
        assertOneLine(run("verify-produce", "--rate", "-1"), ExitCode.USAGE, "--rate must be at least 0, got -1");
        assertOneLine(run("verify-consume", "--redis", live(), "--work-ms", "-1"), ExitCode.USAGE, "--work-ms must be at least 0, got -1");
    }

    @Test
    void badKeyAndNamespaceNamesAreRefused() {
        KeyedQueue.open(redis.client(), NamespaceSettings.builder("ops").build());
        assertOneLine(run("park", "-n", "ops", "--redis", live(), ""), ExitCode.USAGE, "key must not be empty");
        assertOneLine(run("inspect", "-n", "ops", "--redis", live(), "k".repeat(2000)), ExitCode.USAGE, "key is 2000 bytes, over the limit");
        assertOneLine(run("stats", "-n", "a b", "--redis", live()), ExitCode.USAGE, "namespace name must be 1-64 characters");
        assertOneLine(run("stats", "-n", "nope", "--redis", live()), ExitCode.USAGE, "unknown namespace 'nope'");
        assertOneLine(run("verify-consume", "--redis", live(), "--poison", "key-7"), ExitCode.USAGE, "--poison must be KEY:SEQ");
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("produced.jsonl");
        assertOneLine(run("verify-check", "--produced", missing.toString(), "--consumed", missing.toString()), ExitCode.USAGE,
                "cannot read history file " + missing + ": no such file or directory");
        assertOneLine(run("verify-check", "--produced", dir.toString(), "--consumed", dir.toString()), ExitCode.USAGE,
                "cannot read history file " + dir);
        Path nowhere = dir.resolve("no-dir").resolve("out.jsonl");
        assertOneLine(run("verify-produce", "--gateway", "127.0.0.1:" + deadPort, "--out", nowhere.toString()), ExitCode.USAGE,
                "cannot write " + nowhere + ": No such file or directory");
        assertOneLine(run("verify-consume", "--redis", live(), "--out", nowhere.toString()), ExitCode.USAGE, "cannot write " + nowhere);
    }

    @Test
    void aFileThatCannotBeCreatedIsNamed() throws IOException {
        Path file = Files.writeString(dir.resolve("plain-file"), "");
        assertOneLine(run("verify-consume", "--redis", live(), "--out", file.resolve("x").toString()), ExitCode.USAGE,
                "cannot write " + file.resolve("x") + ": Not a directory");
    }

    @Test
    void aMisspeltOptionOrCommandSuggestsTheRightOne() {
        assertOneLine(run("stats", "--redsi", "x"), ExitCode.USAGE, "Unknown options: '--redsi', 'x'; did you mean --redis",
                "(see 'seriatim stats --help')");
        assertOneLine(run("inspekt"), ExitCode.USAGE, "'inspekt'; did you mean inspect");
        assertOneLine(run("inspect"), ExitCode.USAGE, "Missing required parameter: 'KEY'");
    }

    // Bugs

    @Command(name = "broken")
    static final class Broken implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new IllegalStateException("an invariant that cannot fail failed");
        }
    }

    @Test
    void onlyABugPrintsAStackTraceAndSaysItIsOne() {
        Run r = run(Seriatim.commandLine(new Broken()), "broken");
        assertThat(r.exit()).isEqualTo(ExitCode.BUG);
        assertThat(r.err()).startsWith("seriatim: unexpected error, a bug in seriatim; please report it with the trace below: "
                + "java.lang.IllegalStateException: an invariant that cannot fail failed").contains("\tat io.seriatim.cli.");
    }
}
