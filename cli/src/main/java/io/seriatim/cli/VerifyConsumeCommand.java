package io.seriatim.cli;

import com.codahale.metrics.MetricRegistry;
import io.seriatim.verify.JsonLines;
import io.seriatim.verify.RunRecorder;
import io.seriatim.worker.Worker;
import io.seriatim.worker.WorkerSettings;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "verify-consume", mixinStandardHelpOptions = true,
        description = {"Run a worker whose handler records every run as a JSON line (see docs/verify.md):",
            "{\"type\":\"run\",\"key\",\"seq\",\"jobId\",\"fence\",\"attempt\",\"pid\",\"mono\"} at the start and",
            "{\"type\":\"end\",\"key\",\"seq\",\"fence\",\"pid\",\"mono\"} at the end of the handler.",
            "Pair with verify-produce and verify-check to test a deployment's guarantees."})
final class VerifyConsumeCommand implements Callable<Integer> {
    @Mixin WorkerOptions options;
    @Mixin RedisAtStart startup;

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
        Flags.atLeast("--work-ms", workMs, 0);
        if (poison != null && !poison.matches(".+:\\d+")) {
            throw new IllegalArgumentException("--poison must be KEY:SEQ, e.g. key-7:42, got '" + poison + "'");
        }
        WorkerSettings settings = options.build();
        if (parentPid != null) {
            ProcessHandle.of(parentPid).ifPresentOrElse(
                    parent -> parent.onExit().thenRun(() -> System.exit(ExitCode.OK)), () -> System.exit(ExitCode.OK));
        }
        JsonLines lines = JsonLines.to(out);
        Worker worker = startup.start(options.redis, () -> Worker.start(settings,
                RunRecorder.handler(lines, workMs, crashOnSignal ? RunRecorder.crashSignal() : null, poison),
                new MetricRegistry()));
        Await.untilShutdown(() -> {
            worker.close();
            lines.close();
        });
        return ExitCode.OK;
    }
}
