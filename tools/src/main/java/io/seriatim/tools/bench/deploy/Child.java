package io.seriatim.tools.bench.deploy;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One process the bench started: its stdout and stderr go to {@code <name>.log} (the command line
 * first), its stdin is a pipe the bench may write lines to.
 *
 * <p>Only the bench's main thread uses a child. Every child not yet closed is killed, with the
 * processes it started (the redis-server under {@code seriatim redis}), by a shutdown hook when
 * the bench's JVM ends: Ctrl-C or a failed run never leaves one behind.
 */
final class Child implements AutoCloseable {
    private static final Set<Child> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("bench-child-reaper").unstarted(
                () -> LIVE.forEach(Child::kill)));
    }

    private final String name;
    private final Process process;
    private final Path log;
    private final Writer stdin;
    private final List<String> lines = new ArrayList<>(); // the log's complete lines read so far
    private long logOffset;
    private int scanned; // lines before this index were taken by nextLine
    private List<ProcessHandle> descendants = List.of(); // as they were at terminate()

    private Child(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    }

    static Child start(String name, List<String> command, Map<String, String> environment, Path dir) {
        Path log = dir.resolve(name + ".log");
        try {
            Files.writeString(log, "# " + String.join(" ", command) + "\n");
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            pb.environment().clear();
            pb.environment().putAll(environment);
            Child child = new Child(name, pb.start(), log);
            LIVE.add(child);
            return child;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + String.join(" ", command), e);
        }
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    /** The processes this one started, e.g. the redis-server of {@code seriatim redis}. */
    List<ProcessHandle> children() {
        return process.children().toList();
    }

    /** Throws, with the log's last lines, if the process has exited. */
    void checkAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " exited early with code " + process.exitValue() + "; the last lines of "
                    + log + ":\n" + tail(20));
        }
    }

    /** The next line of the log, after the last one taken, that {@code wanted} accepts; empty if none yet. */
    Optional<String> nextLine(Predicate<String> wanted) {
        readLog();
        while (scanned < lines.size()) {
            String line = lines.get(scanned++);
            if (wanted.test(line)) {
                return Optional.of(line);
            }
        }
        return Optional.empty();
    }

    /** Writes one line to the process's stdin. */
    void send(String line) {
        try {
            stdin.write(line + "\n");
            stdin.flush();
        } catch (IOException e) {
            checkAlive();
            throw new UncheckedIOException("cannot write to " + name + "'s stdin", e);
        }
    }

    String tail(int n) {
        readLog();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }

    /** SIGTERM, the stop a user's service manager sends; {@link #awaitExit} then waits for it. */
    void terminate() {
        descendants = process.descendants().toList();
        process.destroy();
    }

    /**
     * Waits up to {@code timeout} for the process to exit after {@link #terminate()}, then kills
     * it and what it started. True if it exited by itself (a JVM ending on SIGTERM exits 143, so
     * the code says nothing).
     */
    boolean awaitExit(Duration timeout) throws InterruptedException {
        boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!exited) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        descendants.forEach(ProcessHandle::destroyForcibly);
        LIVE.remove(this);
        return exited;
    }

    /** SIGKILL to the process and everything it started. */
    @Override
    public void close() {
        kill();
        LIVE.remove(this);
    }

    private void kill() {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
        try {
            stdin.close();
        } catch (IOException ignored) {
            // the process is gone: nothing reads its stdin
        }
    }

    private void readLog() {
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long length = f.length();
            if (length <= logOffset) {
                return;
            }
            byte[] fresh = new byte[(int) Math.min(length - logOffset, 1 << 20)];
            f.seek(logOffset);
            f.readFully(fresh);
            int end = fresh.length;
            while (end > 0 && fresh[end - 1] != '\n') {
                end--; // an unfinished line waits for the next read
            }
            if (end == 0) {
                return;
            }
            logOffset += end;
            for (String line : new String(fresh, 0, end, StandardCharsets.UTF_8).split("\n", -1)) {
                lines.add(line);
            }
            lines.removeLast(); // the empty string after the last '\n'
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + log, e);
        }
    }
}
