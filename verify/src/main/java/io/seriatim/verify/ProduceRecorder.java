package io.seriatim.verify;

import com.google.gson.JsonObject;
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
                            JsonObject o = new JsonObject();
                            o.addProperty("type", error == null ? "ack" : "unknown");
                            o.addProperty("key", key);
                            o.addProperty("seq", s);
                            if (error == null) {
                                o.addProperty("jobId", id);
                            } else {
                                o.addProperty("error", String.valueOf(error.getMessage()));
                            }
                            o.addProperty("mono", System.nanoTime());
                            lines.write(o);
                            if (error != null) {
                                failed.incrementAndGet();
                            } else if (acked != null) {
                                acked.incrementAndGet();
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
