package io.seriatim.cli;

import io.seriatim.client.Producer;
import io.seriatim.verify.JsonLines;
import io.seriatim.verify.ProduceRecorder;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "verify-produce", mixinStandardHelpOptions = true,
        description = {"Submit numbered jobs per key through the gateway and record every outcome as a JSON line:",
            "{\"type\":\"ack\",\"key\",\"seq\",\"jobId\"} once the gateway has it in Redis, or",
            "{\"type\":\"unknown\",\"key\",\"seq\",\"error\"} when the outcome is not known. Exit 0 if all were acknowledged."})
final class VerifyProduceCommand implements Callable<Integer> {
    @Mixin GatewayOptions gateway;
    @Spec CommandSpec spec;

    @Option(names = "--keys", defaultValue = "100", description = "keys (default ${DEFAULT-VALUE})")
    int keys;

    @Option(names = "--jobs-per-key", defaultValue = "100", description = "jobs per key (default ${DEFAULT-VALUE})")
    int jobsPerKey;

    @Option(names = "--key-prefix", defaultValue = "key-", description = "key names are prefix + number (default ${DEFAULT-VALUE})")
    String prefix;

    @Option(names = "--out", description = "file to append the JSON lines to (default: stdout)")
    Path out;

    @Option(names = "--rate", defaultValue = "0", description = "jobs per second, 0 = as fast as possible (default ${DEFAULT-VALUE})")
    int rate;

    @Override
    public Integer call() throws Exception {
        Flags.atLeast("--keys", keys, 1);
        Flags.atLeast("--jobs-per-key", jobsPerKey, 1);
        Flags.atLeast("--rate", rate, 0);
        try (JsonLines lines = JsonLines.to(out); Producer producer = Producer.connect(gateway.settings().build())) {
            long failed = ProduceRecorder.produce(producer, lines, prefix, keys, jobsPerKey, rate, null);
            PrintWriter err = spec.commandLine().getErr();
            err.printf("verify-produce: %d submitted, %d not acknowledged%n", (long) keys * jobsPerKey, failed);
            err.flush();
            return failed == 0 ? ExitCode.OK : ExitCode.FAILED;
        }
    }
}
