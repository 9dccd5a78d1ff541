package io.seriatim.cli;

import io.seriatim.producer.client.Producer;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
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
        if (keys < 1 || jobsPerKey < 1) {
            throw new IllegalArgumentException("--keys and --jobs-per-key must be >= 1");
        }
        try (JsonLines lines = JsonLines.to(out); Producer producer = Producer.connect(gateway.settings().build())) {
            long failed = produce(producer, lines, prefix, keys, jobsPerKey, rate, null);
            PrintWriter err = spec.commandLine().getErr();
            err.printf("verify-produce: %d submitted, %d not acknowledged%n", (long) keys * jobsPerKey, failed);
            err.flush();
            return failed == 0 ? ExitCode.OK : ExitCode.FAILED;
        }
    }

    /**
     * Submits {@code prefix<k>:<seq>} for seq 1..jobsPerKey, interleaving keys, and records each
     * outcome; returns how many were not acknowledged. {@code acked} (optional) counts acks live.
     */
    static long produce(Producer producer, JsonLines lines, String prefix, int keys, int jobsPerKey, int rate,
            AtomicLong acked) throws InterruptedException {
        AtomicLong failed = new AtomicLong();
        CompletableFuture<?>[] all = new CompletableFuture<?>[keys * jobsPerKey];
        long start = System.nanoTime();
        int n = 0;
        for (int seq = 1; seq <= jobsPerKey; seq++) {
            for (int k = 0; k < keys; k++) {
                String key = prefix + k;
                int s = seq;
                all[n++] = producer.submit(key, (key + ":" + seq).getBytes(StandardCharsets.UTF_8))
                        .whenComplete((id, error) -> {
                            if (error == null) {
                                lines.write("{\"type\":\"ack\",\"key\":" + Json.str(key) + ",\"seq\":" + s + ",\"jobId\":" + id
                                        + ",\"mono\":" + System.nanoTime() + "}");
                                if (acked != null) {
                                    acked.incrementAndGet();
                                }
                            } else {
                                failed.incrementAndGet();
                                lines.write("{\"type\":\"unknown\",\"key\":" + Json.str(key) + ",\"seq\":" + s
                                        + ",\"error\":" + Json.str(String.valueOf(error.getMessage()))
                                        + ",\"mono\":" + System.nanoTime() + "}");
                            }
                        });
                if (rate > 0) {
                    long due = start + (long) n * 1_000_000_000L / rate;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
            }
        }
        CompletableFuture.allOf(all).exceptionally(e -> null).join();
        return failed.get();
    }

}
