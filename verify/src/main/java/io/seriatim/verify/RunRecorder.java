package io.seriatim.verify;

import com.google.gson.JsonObject;
import io.seriatim.worker.JobHandler;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The verifiable consumer's handler: writes each run down as a JSON line before the job is
 * acknowledged, then works, then writes the run's end (see docs/verify.md). Jobs carry
 * {@code key:seq} payloads, as {@link ProduceRecorder} submits them.
 */
public final class RunRecorder {
    /** The exit status of a crash injected by {@link #crashSignal()}. */
    public static final int CRASH_EXIT = 99;

    private RunRecorder() {}

    /** A handler that records each run and sleeps {@code workMs} in it. */
    public static JobHandler handler(JsonLines lines, long workMs) {
        return handler(lines, workMs, null, null);
    }

    /**
     * {@link #handler(JsonLines, long)} with the fault suite's injections: halt the process at
     * the end of a job once {@code crash} is raised (null: never), or always fail the job
     * {@code poison} ("key:seq"; null: none).
     */
    public static JobHandler handler(JsonLines lines, long workMs, AtomicBoolean crash, String poison) {
        long pid = ProcessHandle.current().pid();
        return (job, ctx) -> {
            String payload = new String(job.payload(), StandardCharsets.UTF_8);
            long seq = Long.parseLong(payload.substring(payload.lastIndexOf(':') + 1));
            JsonObject run = record("run", job.key(), seq, pid);
            run.addProperty("jobId", job.id());
            run.addProperty("fence", job.fence());
            run.addProperty("attempt", job.attempt());
            lines.write(run);
            if (workMs > 0) {
                Thread.sleep(workMs);
            }
            // The end of the handler, so that the checker can see two runs of a key overlap.
            JsonObject end = record("end", job.key(), seq, pid);
            end.addProperty("fence", job.fence());
            lines.write(end);
            if (poison != null && poison.equals(payload)) {
                throw new IllegalStateException("poison job " + payload + " (fault injection)");
            }
            if (crash != null && crash.get()) {
                Runtime.getRuntime().halt(CRASH_EXIT); // no shutdown hooks, no ack: what a crash leaves
            }
        };
    }

    private static JsonObject record(String type, String key, long seq, long pid) {
        JsonObject o = new JsonObject();
        o.addProperty("type", type);
        o.addProperty("key", key);
        o.addProperty("seq", seq);
        o.addProperty("pid", pid);
        o.addProperty("mono", System.nanoTime());
        return o;
    }

    /** Raised by SIGUSR1: the fault suite's way to crash a worker between a job's end and its ack. */
    public static AtomicBoolean crashSignal() {
        AtomicBoolean raised = new AtomicBoolean();
        // sun.misc.Signal (module jdk.unsupported) is the JDK's only way to catch a signal. It is
        // reached by reflection because javac warns of it on every build, and warnings fail the build.
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handler = Class.forName("sun.misc.SignalHandler");
            Object onSignal = Proxy.newProxyInstance(handler.getClassLoader(), new Class<?>[] {handler}, (proxy, method, args) -> {
                if (method.getName().equals("handle")) {
                    raised.set(true);
                }
                return null;
            });
            signal.getMethod("handle", signal, handler).invoke(null, signal.getConstructor(String.class).newInstance("USR1"), onSignal);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("this JVM cannot catch SIGUSR1 (sun.misc.Signal): " + e, e);
        }
        return raised;
    }
}
