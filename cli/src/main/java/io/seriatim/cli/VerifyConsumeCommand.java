package io.seriatim.cli;

import com.codahale.metrics.MetricRegistry;
import io.seriatim.worker.JobHandler;
import io.seriatim.worker.Worker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
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

    @Option(names = "--parent-pid", description = "exit when this process is gone (used by the demo)")
    Long parentPid;

    @Override
    public Integer call() {
        if (parentPid != null) {
            ProcessHandle.of(parentPid).ifPresentOrElse(
                    parent -> parent.onExit().thenRun(() -> System.exit(ExitCode.OK)), () -> System.exit(ExitCode.OK));
        }
        JsonLines lines = JsonLines.to(out);
        Worker worker = Worker.start(options.build(), recorder(lines, workMs), new MetricRegistry());
        Await.untilShutdown(() -> {
            worker.close();
            lines.close();
        });
        return ExitCode.OK;
    }

    /** A handler that writes the run down (before the job is acknowledged), then works. */
    static JobHandler recorder(JsonLines lines, long workMs) {
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
        };
    }
}
