package io.seriatim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code worker --handler} with a wrong jar or class: exit code 2 and one line saying what is
 * wrong, before the worker connects anywhere. (A handler that loads runs in {@code UserHandlerIT}.)
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS) // a handler that loaded by mistake would start a worker
class WorkerHandlerErrorsTest {
    @TempDir
    static Path dir;
    static Path jar;

    @BeforeAll
    static void buildJar() throws Exception {
        jar = UserJars.build(dir.resolve("handlers.jar"), Map.of(
                "com.example.NotAHandler", """
                        package com.example;
                        public class NotAHandler {}
                        """,
                "com.example.NeedsArgs", """
                        package com.example;
                        public class NeedsArgs implements io.seriatim.worker.JobHandler {
                            public NeedsArgs(String database) {}
                            public void handle(io.seriatim.worker.WorkerJob job, io.seriatim.worker.JobContext c) {}
                        }
                        """,
                "com.example.Hidden", """
                        package com.example;
                        class Hidden implements io.seriatim.worker.JobHandler {
                            public Hidden() {}
                            public void handle(io.seriatim.worker.WorkerJob job, io.seriatim.worker.JobContext c) {}
                        }
                        """,
                "com.example.Throws", """
                        package com.example;
                        public class Throws implements io.seriatim.worker.JobHandler {
                            public Throws() { throw new IllegalStateException("DATABASE_URL is not set"); }
                            public void handle(io.seriatim.worker.WorkerJob job, io.seriatim.worker.JobContext c) {}
                        }
                        """));
    }

    record Run(int exit, String err) {}

    static Run worker(String classpath, String handler) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Seriatim.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        // No Redis listens on port 1: should loading wrongly succeed, the worker exits 3 instead of serving.
        int exit = cli.execute("worker", "--redis", "redis://127.0.0.1:1", "--fail-fast", "--classpath", classpath,
                "--handler", handler);
        return new Run(exit, err.toString());
    }

    static void assertOneLine(Run r, String message) {
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err().strip()).as("one line, no stack trace").doesNotContain("\n").startsWith("seriatim: ")
                .contains(message);
    }

    @Test
    void aMissingJarIsNamed() {
        Path missing = dir.resolve("save-coment.jar");
        assertOneLine(worker(jar + File.pathSeparator + missing, "com.example.Throws"),
                "classpath entry " + missing + " does not exist");
        assertOneLine(worker(dir.resolve("nowhere") + File.separator + "*", "com.example.Throws"), "no directory");
    }

    @Test
    void aClassNotFoundNamesTheClasspathSearched() {
        assertOneLine(worker(jar.toString(), "com.example.SaveComment"),
                "--handler com.example.SaveComment: class not found on classpath " + jar);
    }

    @Test
    void aClassThatIsNoHandlerIsRefused() {
        assertOneLine(worker(jar.toString(), "com.example.NotAHandler"),
                "--handler com.example.NotAHandler does not implement io.seriatim.worker.JobHandler");
    }

    @Test
    void aHandlerWithoutANoArgumentConstructorIsRefused() {
        assertOneLine(worker(jar.toString(), "com.example.NeedsArgs"),
                "--handler com.example.NeedsArgs has no public no-argument constructor");
    }

    @Test
    void aClassThatIsNotPublicIsRefused() {
        assertOneLine(worker(jar.toString(), "com.example.Hidden"), "--handler com.example.Hidden is not public");
    }

    @Test
    void aConstructorThatThrowsIsReportedWithItsMessage() {
        assertOneLine(worker(jar.toString(), "com.example.Throws"),
                "--handler com.example.Throws: its constructor threw java.lang.IllegalStateException: DATABASE_URL is not set");
    }

    @Test
    void aDirectoryOfJarsIsSearched() throws Exception {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        Files.copy(jar, lib.resolve("handlers.jar"));
        assertOneLine(worker(lib + File.separator + "*", "com.example.Throws"), "DATABASE_URL is not set");
    }
}
