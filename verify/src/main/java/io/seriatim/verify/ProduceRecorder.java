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
        // Outstanding submits, plus one for this loop: no future is kept, so that a soak of tens
        // of millions of submits holds only those in flight.
        AtomicLong outstanding = new AtomicLong(1);
        CompletableFuture<Void> allDone = new CompletableFuture<>();
        long start = System.nanoTime();
        long n = 0;
        for (int seq = 1; seq <= jobsPerKey; seq++) {
            for (int k = 0; k < keys; k++) {
                String key = prefix + k;
                int s = seq;
                n++;
                outstanding.incrementAndGet();
                producer.submit(key, (key + ":" + seq).getBytes(StandardCharsets.UTF_8))
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
                            if (outstanding.decrementAndGet() == 0) {
                                allDone.complete(null);
                            }
                        });
                if (rate > 0) {
                    long due = start + n * 1_000_000_000L / rate;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
            }
        }
        if (outstanding.decrementAndGet() == 0) {
            allDone.complete(null);
        }
        allDone.join();
        return failed.get();
    }
}
