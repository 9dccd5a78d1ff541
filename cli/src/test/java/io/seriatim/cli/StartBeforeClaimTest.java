package io.seriatim.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.seriatim.core.keys.PartitionKeys;
import io.seriatim.core.queue.EnqueueRequest;
import io.seriatim.core.queue.KeyedQueue;
import io.seriatim.core.redis.RedisConnector;
import io.seriatim.core.redis.RedisSettings;
import io.seriatim.core.settings.NamespaceSettings;
import io.seriatim.localredis.RedisServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.UnifiedJedis;

/**
 * A process that cannot start fails before it takes work. The real
 * {@code seriatim worker}, as its own process, against a Redis holding ready keys, with a metrics
 * port it cannot have: it exits 2 with one line, and Redis shows that no lease was ever granted
 * (no fence handed out, no lease, no attempt).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class StartBeforeClaimTest {
    private static RedisServer redis;
    private static UnifiedJedis client;
    private static KeyedQueue queue;

    @BeforeAll
    static void readyKeys() {
        redis = RedisServer.start();
        client = RedisConnector.connect(RedisSettings.of(redis.uri()));
        queue = KeyedQueue.open(client, NamespaceSettings.builder("start").build());
        for (int i = 0; i < 20; i++) {
            queue.enqueue(EnqueueRequest.of("key-" + i, ("job-" + i).getBytes(UTF_8)));
        }
    }

    @AfterAll
    static void stop() {
        client.close();
        redis.close();
    }

    @Test
    void aMetricsPortOutOfRangeExitsTwoWithOneLineAndClaimsNothing() throws Exception {
        Run run = worker("--metrics-port", "99999");
        assertThat(run.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(run.lines()).containsExactly("seriatim: --metrics-port must be in [0, 65535], got 99999");
        assertNothingClaimed();
    }

    @Test
    void aMetricsPortInUseExitsTwoWithOneLineAndClaimsNothing() throws Exception {
        try (ServerSocket busy = new ServerSocket()) {
            busy.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0));
            int port = busy.getLocalPort();
            Run run = worker("--metrics-port", Integer.toString(port));
            assertThat(run.exit()).isEqualTo(ExitCode.USAGE);
            assertThat(run.lines()).hasSize(1);
            assertThat(run.lines().get(0)).startsWith("seriatim: cannot listen on 0.0.0.0:" + port + " (")
                    .contains("in use").endsWith("stop what listens there or choose another --metrics-port");
        }
        assertNothingClaimed();
    }

    @Test
    void theSweeperAndTheGatewayRefuseABusyMetricsPortTheSameWay() throws Exception {
        try (ServerSocket busy = new ServerSocket()) {
            busy.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0));
            String port = Integer.toString(busy.getLocalPort());
            int gatewayPort = RedisDownAtStartTest.freePort();
            for (Run run : List.of(
                    run("sweeper", "--redis", redis.uri(), "-n", "start", "--metrics-port", port),
                    run("gateway", "--redis", redis.uri(), "--port", Integer.toString(gatewayPort), "--metrics-port", port))) {
                assertThat(run.exit()).isEqualTo(ExitCode.USAGE);
                assertThat(run.lines()).hasSize(1);
                assertThat(run.lines().get(0)).startsWith("seriatim: cannot listen on 0.0.0.0:" + port + " (");
            }
        }
        assertNothingClaimed();
    }

    private static void assertNothingClaimed() {
        PartitionKeys p = queue.keys().partition(0);
        assertThat(client.exists(p.fence())).as("fence counter: no lease was ever granted").isFalse();
        assertThat(client.zcard(p.leases())).as("leases").isZero();
        assertThat(client.hlen(p.attempts())).as("attempts").isZero();
        assertThat(client.zcard(p.ready())).as("every key still ready").isEqualTo(20);
    }

    record Run(int exit, List<String> lines) {}

    private static Run worker(String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("worker", "--redis", redis.uri(), "-n", "start"));
        args.addAll(List.of(extra));
        return run(args.toArray(String[]::new));
    }

    /** Runs {@code seriatim args} as its own JVM, as an operator would, and collects what it printed. */
    private static Run run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dlogback.configurationFile=logback.xml",
                "io.seriatim.cli.Seriatim"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            out = in.readAllBytes(); // until it exits: a worker that started would not, and the timeout says so
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("exited").isTrue();
        String text = new String(out, UTF_8);
        return new Run(p.exitValue(), text.isEmpty() ? List.of() : List.of(text.split("\n")));
    }
}
