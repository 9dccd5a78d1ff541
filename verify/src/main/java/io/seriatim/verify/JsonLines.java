package io.seriatim.verify;

import com.google.gson.JsonObject;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes one JSON object per line, each straight to the OS (no buffer in the JVM), so that a
 * process killed with SIGKILL leaves every line it reported complete: the verify tools record a
 * run before it is acknowledged, and a record lost in a buffer would look like a lost job.
 * Thread-safe (handlers write from many virtual threads).
 */
public final class JsonLines implements AutoCloseable {
    private final OutputStream out;
    private final boolean owned;
    private final ReentrantLock lock = new ReentrantLock();

    private JsonLines(OutputStream out, boolean owned) {
        this.out = out;
        this.owned = owned;
    }

    public static JsonLines to(Path file) {
        try {
            return file == null ? new JsonLines(new FileOutputStream(java.io.FileDescriptor.out), false)
                    : new JsonLines(new FileOutputStream(file.toFile(), true), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Writes {@code object} as one line. */
    public void write(JsonObject object) {
        byte[] line = (object + "\n").getBytes(StandardCharsets.UTF_8);
        lock.lock();
        try {
            out.write(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        if (owned) {
            try {
                out.close();
            } catch (IOException ignored) {
                // nothing left to do
            }
        }
    }
}
