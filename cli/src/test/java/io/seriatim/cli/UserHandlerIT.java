package io.seriatim.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.seriatim.core.queue.EnqueueRequest;
import io.seriatim.core.queue.KeyedQueue;
import io.seriatim.core.settings.NamespaceSettings;
import io.seriatim.testkit.RedisExtension;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's handler through the shipped command, as a user runs it: handler and helper compiled
 * here into two jars outside any class path of the build, then {@code ./seriatim worker --handler
 * ... --classpath ...} started as its own process against a real Redis.
 *
 * <p>An integration test (failsafe, after {@code package}): the launcher runs the distribution jar
 * that {@code package} built, and would build it itself if it were missing.
 */
class UserHandlerIT {
    private static final String NAMESPACE = "comments";
    private static final List<String> PAYLOADS = List.of("first", "second", "third", "fourth", "fifth");

    @RegisterExtension
    static final RedisExtension redis = new RedisExtension();

    @TempDir
    static Path dir;
    static Path helperJar;
    static Path handlerJar;

    @BeforeAll
    static void buildUserJars() throws IOException {
        Path jars = Files.createDirectories(dir.resolve("jars"));
        // The handler's dependency, in a jar of its own: loading the handler must find it too.
        helperJar = UserJars.build(jars.resolve("lines.jar"), Map.of("com.example.lib.Lines", """
                package com.example.lib;
                public final class Lines {
                    public static String of(String payload) { return "handled " + payload; }
                }
                """));
        handlerJar = UserJars.build(jars.resolve("append-line.jar"), Map.of("com.example.AppendLine", """
                package com.example;

                import io.seriatim.worker.JobContext;
                import io.seriatim.worker.JobHandler;
                import io.seriatim.worker.WorkerJob;
                import java.nio.charset.StandardCharsets;
                import java.nio.file.Files;
                import java.nio.file.Path;
                import java.nio.file.StandardOpenOption;

                public final class AppendLine implements JobHandler {
                    private final Path out = Path.of(System.getenv("APPEND_LINE_TO"));

                    @Override
                    public void handle(WorkerJob job, JobContext context) throws Exception {
                        boolean contextLoader = Thread.currentThread().getContextClassLoader() == getClass().getClassLoader();
                        String line = com.example.lib.Lines.of(new String(job.payload(), StandardCharsets.UTF_8))
                                + " key=" + job.key() + " context-loader=" + contextLoader + "\\n";
                        Files.writeString(out, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    }
                }
                """), helperJar);
    }

    @Test
    void runsTheHandlerFromTheClasspathOptionInOrder() throws Exception {
        Path out = dir.resolve("option.out");
        submitJobs();
        runWorkerUntilDone(out, Map.of(), "--classpath", handlerJar + File.pathSeparator + helperJar);
        assertRanInOrder(out);
    }

    @Test
    void runsTheHandlerFromSeriatimClasspathWithADirectoryOfJars() throws Exception {
        Path out = dir.resolve("env.out");
        submitJobs();
        runWorkerUntilDone(out, Map.of("SERIATIM_CLASSPATH", handlerJar.getParent() + File.separator + "*"));
        assertRanInOrder(out);
    }

    private static void submitJobs() {
        KeyedQueue queue = KeyedQueue.open(redis.client(), NamespaceSettings.builder(NAMESPACE).build());
        for (String payload : PAYLOADS) {
            queue.enqueue(EnqueueRequest.of("post-A", payload.getBytes(UTF_8)));
        }
    }

    private static void assertRanInOrder(Path out) throws IOException {
        assertThat(Files.readAllLines(out)).containsExactlyElementsOf(
                PAYLOADS.stream().map(p -> "handled " + p + " key=post-A context-loader=true").toList());
    }

    /** Starts the worker the way a user does, waits for every job's line, then stops it with SIGTERM. */
    private static void runWorkerUntilDone(Path out, Map<String, String> env, String... extraArgs) throws Exception {
        Path launcher = Path.of(System.getProperty("seriatim.root", "..")).resolve("seriatim").toAbsolutePath().normalize();
        List<String> command = new ArrayList<>(List.of(launcher.toString(), "worker", "--redis",
                redis.server().uri(), "-n", NAMESPACE, "--handler", "com.example.AppendLine"));
        command.addAll(List.of(extraArgs));
        Path log = Files.createTempFile(dir, "worker-", ".log");
        Path noConfig = Files.writeString(dir.resolve("empty.properties"), "");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().remove("SERIATIM_CLASSPATH");
        pb.environment().put("SERIATIM_CONFIG", noConfig.toString()); // no ~/.seriatim.properties of the machine's
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("APPEND_LINE_TO", out.toString());
        pb.environment().putAll(env);
        Process worker = pb.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (lines(out) < PAYLOADS.size() && worker.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(lines(out)).as("lines written by the handler; the worker's output:%n%s", Files.readString(log))
                    .isEqualTo(PAYLOADS.size());
        } finally {
            worker.destroy(); // SIGTERM, as an operator stops it
            if (!worker.waitFor(30, TimeUnit.SECONDS)) {
                worker.destroyForcibly();
            }
        }
    }

    private static long lines(Path out) throws IOException {
        if (!Files.exists(out)) {
            return 0;
        }
        try (var s = Files.lines(out)) {
            return s.count();
        }
    }
}
