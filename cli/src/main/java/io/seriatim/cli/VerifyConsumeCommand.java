package io.seriatim.cli;

import com.codahale.metrics.MetricRegistry;
import io.seriatim.worker.JobHandler;
import io.seriatim.worker.Worker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "verify-consume", mixinStandardHelpOptions = true,
        description = {"Run a worker whose handler records every run as a JSON line (see docs/verify.md):",
            "{\"type\":\"run\",\"key\",\"seq\",\"jobId\",\"fence\",\"attempt\",\"pid\",\"mono\"} at the start and",
            "{\"type\":\"end\",\"key\",\"seq\",\"fence\",\"pid\",\"mono\"} at the end of the handler.",
            "Pair with verify-produce and verify-check to test a deployment's guarantees."})
public final class VerifyConsumeCommand implements Callable<Integer> {
    /** The exit status of a crash injected by {@code --crash-on-signal}. */
    public static final int CRASH_EXIT = 99;

    @Mixin WorkerOptions options;

    @Option(names = "--out", description = "file to append the JSON lines to (default: stdout)")
    Path out;

    @Option(names = "--work-ms", defaultValue = "0", description = "milliseconds each job sleeps (default ${DEFAULT-VALUE})")
    long workMs;

    @Option(names = "--crash-on-signal", description = "fault injection: on SIGUSR1, halt the process (as kill -9 "
            + "would) at the end of the next job's work, before its ack")
    boolean crashOnSignal;

    @Option(names = "--poison", paramLabel = "KEY:SEQ", description = "fault injection: the handler of this job always throws")
    String poison;

    @Option(names = "--parent-pid", description = "exit when this process is gone (used by the demo)")
    Long parentPid;

    @Override
    public Integer call() {
        if (parentPid != null) {
            ProcessHandle.of(parentPid).ifPresentOrElse(
                    parent -> parent.onExit().thenRun(() -> System.exit(ExitCode.OK)), () -> System.exit(ExitCode.OK));
        }
        JsonLines lines = JsonLines.to(out);
        Worker worker = Worker.start(options.build(), recorder(lines, workMs, crashOnSignal ? crashSignal() : null, poison),
                new MetricRegistry());
        Await.untilShutdown(() -> {
            worker.close();
            lines.close();
        });
        return ExitCode.OK;
    }

    /** A handler that writes the run down (before the job is acknowledged), then works. */
    static JobHandler recorder(JsonLines lines, long workMs) {
        return recorder(lines, workMs, null, null);
    }

    /** Set by SIGUSR1: the fault suite's way to crash a worker between a job's end and its ack. */
    private static AtomicBoolean crashSignal() {
        AtomicBoolean raised = new AtomicBoolean();
        sun.misc.Signal.handle(new sun.misc.Signal("USR1"), s -> raised.set(true));
        return raised;
    }

    /**
     * {@link #recorder(JsonLines, long)} with the fault injections of the fault suite: crash at
     * the end of a job once {@code crash} is raised (null: never), or always fail the job
     * {@code poison} ("key:seq"; null: none).
     */
    static JobHandler recorder(JsonLines lines, long workMs, AtomicBoolean crash, String poison) {
        long pid = ProcessHandle.current().pid();
        return (job, ctx) -> {
            String payload = new String(job.payload(), StandardCharsets.UTF_8);
            long seq = Long.parseLong(payload.substring(payload.lastIndexOf(':') + 1));
            lines.write("{\"type\":\"run\",\"key\":" + Json.str(job.key()) + ",\"seq\":" + seq + ",\"jobId\":" + job.id()
                    + ",\"fence\":" + job.fence() + ",\"attempt\":" + job.attempt() + ",\"pid\":" + pid
                    + ",\"mono\":" + System.nanoTime() + "}");
            if (workMs > 0) {
                Thread.sleep(workMs);
            }
            // The end of the handler, so that the checker can see two runs of a key overlap.
            lines.write("{\"type\":\"end\",\"key\":" + Json.str(job.key()) + ",\"seq\":" + seq + ",\"fence\":"
                    + job.fence() + ",\"pid\":" + pid + ",\"mono\":" + System.nanoTime() + "}");
            if (poison != null && poison.equals(payload)) {
                throw new IllegalStateException("poison job " + payload + " (fault injection)");
            }
            if (crash != null && crash.get()) {
                Runtime.getRuntime().halt(CRASH_EXIT); // no shutdown hooks, no ack: what a crash leaves
            }
        };
    }
}
