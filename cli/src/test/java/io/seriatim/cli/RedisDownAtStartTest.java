package io.seriatim.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seriatim.client.Producer;
import io.seriatim.client.ProducerSettings;
import io.seriatim.core.queue.EnqueueRequest;
import io.seriatim.core.queue.KeyedQueue;
import io.seriatim.core.redis.RedisConnector;
import io.seriatim.core.redis.RedisSettings;
import io.seriatim.core.settings.NamespaceSettings;
import io.seriatim.localredis.RedisBinary;
import io.seriatim.localredis.RedisServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.UnifiedJedis;

/**
 * Gateway, worker and sweeper started while Redis is down, each as its own process as an operator
 * runs it: by default each logs every attempt and starts serving once Redis answers (the gateway
 * not listening before); with {@code --fail-fast} each exits 3 at once.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RedisDownAtStartTest {
    private final List<Process> processes = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    /** A child JVM's merged stdout and stderr, line by line, as it prints them. */
    record Child(Process process, BlockingQueue<String> lines, List<String> seen) {
        String awaitLine(String containing) throws InterruptedException {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < until) {
                String line = lines.poll(until - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (line != null && line.contains(containing)) {
                    return line;
                }
            }
            throw new AssertionError("no line containing '" + containing + "' within 30 s; printed: " + seen);
        }
    }

    Child start(Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                // The product's logging (stderr, Jedis quiet), not the tests' logback-test.xml.
                "-Dlogback.configurationFile=logback.xml", "io.seriatim.cli.Seriatim"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process p = builder.start();
        processes.add(p);
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    seen.add(line);
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the process is gone
            }
        });
        return new Child(p, lines, seen);
    }

    Child start(String... args) throws IOException {
        return start(Map.of(), args);
    }

    @AfterEach
    void stop() throws Exception {
        for (Process p : processes) {
            p.destroy();
            if (!p.waitFor(15, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static String[] args(String command, String redis, int gatewayPort) {
        return switch (command) {
            case "gateway" -> new String[] {"gateway", "--redis", redis, "--host", "127.0.0.1", "--port", Integer.toString(gatewayPort)};
            case "worker" -> new String[] {"worker", "--redis", redis, "-n", "ops"};
            default -> new String[] {"sweeper", "--redis", redis, "-n", "ops"};
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"gateway", "worker", "sweeper"})
    void retriesWithALineEachAttemptAndServesOnceRedisAnswers(String command) throws Exception {
        int redisPort = freePort();
        int gatewayPort = freePort();
        String address = "redis://127.0.0.1:" + redisPort;
        Child child = start(args(command, address, gatewayPort));
        child.awaitLine("Redis at " + address + " unavailable (Connection refused); retrying in 1 s");
        child.awaitLine("Redis at " + address + " unavailable (Connection refused); retrying in 2 s");
        assertThatThrownBy(() -> new Socket().connect(new InetSocketAddress("127.0.0.1", gatewayPort), 1000))
                .as("nothing listens before Redis answers").isInstanceOf(IOException.class);

        RedisServer redis = RedisServer.start(RedisBinary.resolve(), redisPort, List.of());
        closeables.add(redis);
        UnifiedJedis client = RedisConnector.connect(RedisSettings.of(address));
        closeables.add(client);
        switch (command) {
            case "gateway" -> {
                child.awaitLine("gateway listening on 127.0.0.1:" + gatewayPort);
                KeyedQueue queue = KeyedQueue.open(client, NamespaceSettings.builder("ops").build());
                try (Producer producer = Producer.connect(ProducerSettings.builder("127.0.0.1", gatewayPort, "ops").build())) {
                    assertThat(producer.submit("k", "job".getBytes(UTF_8)).get(20, TimeUnit.SECONDS)).isPositive();
                }
                assertThat(queue.counts().pendingJobs()).isEqualTo(1);
            }
            case "worker" -> {
                child.awaitLine("worker serving namespace ops");
                KeyedQueue queue = KeyedQueue.openExisting(client, "ops");
                queue.enqueue(EnqueueRequest.of("k", "job".getBytes(UTF_8)));
                awaitTrue(() -> queue.counts().pendingJobs() == 0, "the worker ran the job");
            }
            default -> {
                child.awaitLine("sweeper serving [ops]");
                awaitTrue(() -> registered(client, "ops"), "the sweeper registered its namespace");
            }
        }
        assertThat(child.process().isAlive()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"gateway", "worker", "sweeper"})
    void failFastExitsThreeAtOnceWithOneLine(String command) throws Exception {
        String address = "redis://127.0.0.1:" + freePort();
        List<String> args = new ArrayList<>(List.of(args(command, address, freePort())));
        args.add("--fail-fast");
        Child child = start(args.toArray(String[]::new));
        assertThat(child.process().waitFor(30, TimeUnit.SECONDS)).as("exited").isTrue();
        assertThat(child.process().exitValue()).isEqualTo(ExitCode.REDIS_UNAVAILABLE);
        child.awaitLine("seriatim: Redis at " + address + " unavailable (Connection refused)");
        assertThat(child.seen()).as("one line, no retry, no trace").hasSize(1);
    }

    @Test
    void aConfigFileThatIsNotThereIsRefused() throws Exception {
        Child child = start(Map.of("SERIATIM_CONFIG", "/no/such/seriatim.properties"), "stats");
        assertThat(child.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(child.process().exitValue()).isEqualTo(ExitCode.USAGE);
        child.awaitLine("seriatim: SERIATIM_CONFIG names /no/such/seriatim.properties, which is not a readable file");
        assertThat(child.seen()).hasSize(1);
    }

    private static boolean registered(UnifiedJedis client, String namespace) {
        try {
            KeyedQueue.openExisting(client, namespace);
            return true;
        } catch (IllegalArgumentException notYet) {
            return false;
        }
    }

    /** Polls another process's effect on Redis; there is nothing in this JVM to wait on. */
    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError(what + ": not within 30 s");
            }
            Thread.sleep(50);
        }
    }
}
