package io.seriatim.tools.bench;

import io.seriatim.tools.bench.Scenarios.Result;
import java.nio.file.Path;

/**
 * One run of the BullMQ side of the benchmark: {@code benchmarks/bullmq/run.sh}, which starts its
 * own Redis and prints one JSON line. BullMQ keeps order per key only with a queue per key and a
 * worker of concurrency 1 per queue, which is what it runs.
 */
final class BullMqRun {
    private BullMqRun() {}

    /** benchmarks/bullmq of the checkout the jar was built in, else of the current directory. */
    static Path locate() {
        return ExternalRun.locate("bullmq");
    }

    static Result run(Path dir, String scenario, String... args) throws Exception {
        return ExternalRun.run("bullmq " + scenario, dir, "--bullmq-dir", scenario, args);
    }
}
