package io.seriatim.verify;

import io.seriatim.client.Producer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The verifiable producer: submits numbered jobs per key and writes every outcome down as a JSON
 * line, {@code ack} once the gateway has the job in Redis, {@code unknown} otherwise.
 */
public final class ProduceRecorder {
    private ProduceRecorder() {}

    /**
     * Submits {@code prefix<k>:<seq>} for seq 1..jobsPerKey, interleaving keys, at {@code rate}
     * jobs per second (0: flat out), and records each outcome; returns how many were not
     * acknowledged. {@code acked} (optional) counts acks live.
     */
    public static long produce(Producer producer, JsonLines lines, String prefix, int keys, int jobsPerKey, int rate,
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
