package io.seriatim.cli;

import com.codahale.metrics.MetricRegistry;
import io.seriatim.worker.JobHandler;
import io.seriatim.worker.Worker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "verify-consume", mixinStandardHelpOptions = true,
        description = {"Run a worker whose handler records every run as a JSON line (see docs/verify.md):",
            "{\"type\":\"run\",\"key\",\"seq\",\"jobId\",\"fence\",\"attempt\",\"pid\",\"mono\"}.",
            "Pair with verify-produce and verify-check to test a deployment's guarantees."})
final class VerifyConsumeCommand implements Callable<Integer> {
    @Mixin WorkerOptions options;

    @Option(names = "--out", description = "file to append the JSON lines to (default: stdout)")
    Path out;

    @Option(names = "--work-ms", defaultValue = "0", description = "milliseconds each job sleeps (default ${DEFAULT-VALUE})")
    long workMs;

    @Option(names = "--crash-after-runs", defaultValue = "0", description = "fault injection: halt the process (as kill -9 "
            + "would) at the end of about this many handler runs (a random count from half to one and a half times it, "
            + "so that workers started together do not crash together), after the job's work and before its ack; 0 = never")
    long crashAfterRuns;

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
        Worker worker = Worker.start(options.build(), recorder(lines, workMs, crashAfterRuns, poison),
                new MetricRegistry());
        Await.untilShutdown(() -> {
            worker.close();
            lines.close();
        });
        return ExitCode.OK;
    }

    /** A handler that writes the run down (before the job is acknowledged), then works. */
    static JobHandler recorder(JsonLines lines, long workMs) {
        return recorder(lines, workMs, 0, null);
    }

    /** {@link #recorder(JsonLines, long)} with the fault injections of the fault suite. */
    static JobHandler recorder(JsonLines lines, long workMs, long crashAfterRuns, String poison) {
        long pid = ProcessHandle.current().pid();
        AtomicLong ran = new AtomicLong();
        long crashAt = crashAfterRuns <= 0 ? 0 : crashAfterRuns / 2 + new java.util.Random().nextLong(crashAfterRuns + 1);
        return (job, ctx) -> {
            String payload = new String(job.payload(), StandardCharsets.UTF_8);
            long seq = Long.parseLong(payload.substring(payload.lastIndexOf(':') + 1));
            lines.write("{\"type\":\"run\",\"key\":" + Json.str(job.key()) + ",\"seq\":" + seq + ",\"jobId\":" + job.id()
                    + ",\"fence\":" + job.fence() + ",\"attempt\":" + job.attempt() + ",\"pid\":" + pid
                    + ",\"mono\":" + System.nanoTime() + "}");
            if (workMs > 0) {
                Thread.sleep(workMs);
            }
            if (poison != null && poison.equals(payload)) {
                throw new IllegalStateException("poison job " + payload + " (fault injection)");
            }
            if (crashAt > 0 && ran.incrementAndGet() >= crashAt) {
                Runtime.getRuntime().halt(137); // no shutdown hooks, no ack: what a crash leaves
            }
        };
    }
}
