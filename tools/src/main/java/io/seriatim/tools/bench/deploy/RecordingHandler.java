package io.seriatim.tools.bench.deploy;

import io.seriatim.worker.JobContext;
import io.seriatim.worker.JobHandler;
import io.seriatim.worker.WorkerJob;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The deployment bench's handler, run by {@code seriatim worker --handler
 * io.seriatim.tools.bench.deploy.RecordingHandler --classpath seriatim-tools.jar}: loaded from the
 * tools jar as a user's handler is from theirs, not built into the product.
 *
 * <p>It records every run in memory ({@link HandlerRecords}) and writes them to the file named by
 * {@value #RECORDS_ENV} when the process gets SIGTERM, from a shutdown hook. The bench stops the
 * workers only once every job is acknowledged, so no job runs while the hook writes.
 * {@value #SLEEP_ENV} (microseconds, default 0) makes each job sleep after it is recorded, as a
 * handler waiting on I/O would.
 */
public final class RecordingHandler implements JobHandler {
    public static final String RECORDS_ENV = "SERIATIM_BENCH_RECORDS";
    public static final String SLEEP_ENV = "SERIATIM_BENCH_SLEEP_MICROS";

    private final HandlerRecords records = new HandlerRecords();
    private final Duration sleep;

    public RecordingHandler() {
        String file = System.getenv(RECORDS_ENV);
        if (file == null || file.isBlank()) {
            throw new IllegalStateException(RECORDS_ENV + " is not set: this handler is started by seriatim bench");
        }
        String micros = System.getenv().getOrDefault(SLEEP_ENV, "0");
        try {
            sleep = Duration.ofNanos(Math.multiplyExact(Long.parseLong(micros.strip()), 1000L));
        } catch (NumberFormatException e) {
            throw new IllegalStateException(SLEEP_ENV + " must be a whole number of microseconds, got '" + micros + "'");
        }
        if (sleep.isNegative()) {
            throw new IllegalStateException(SLEEP_ENV + " must be >= 0, got " + micros);
        }
        Path path = Path.of(file);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("bench-records-writer").unstarted(() -> {
            try {
                records.snapshot().writeTo(path);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the handler's records to " + path, e);
            }
        }));
    }

    @Override
    public void handle(WorkerJob job, JobContext context) throws InterruptedException {
        long start = System.nanoTime();
        byte[] p = job.payload();
        records.add(JobPayload.keyIndex(p), JobPayload.seq(p), start, JobPayload.submitNanos(p));
        if (!sleep.isZero()) {
            Thread.sleep(sleep);
        }
    }
}
