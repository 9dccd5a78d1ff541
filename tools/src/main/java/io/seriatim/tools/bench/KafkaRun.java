package io.seriatim.tools.bench;

import io.seriatim.tools.bench.Scenarios.Result;
import java.nio.file.Path;

/**
 * One run of the Kafka side of the benchmark: {@code benchmarks/kafka/run.sh}, which builds that
 * project on first use (downloading Kafka's jars), starts its own single-node KRaft broker, runs
 * one scenario twice (fresh processes, then warm) and prints one JSON line. The consumer is
 * Confluent's parallel-consumer with ordering KEY and concurrency 256, the shape that keeps
 * Seriatim's promise (one job of a key at a time, many keys at once); or, for Kafka's own ceiling,
 * the plain KafkaConsumer (one thread, order per partition).
 */
final class KafkaRun {
    private KafkaRun() {}

    /** benchmarks/kafka of the checkout the jar was built in, else of the current directory. */
    static Path locate() {
        return ExternalRun.locate("kafka");
    }

    /** The row "kafka+pc {@code row}": parallel-consumer running {@code scenario}. */
    static Result run(Path dir, String row, String scenario, String... args) throws Exception {
        return ExternalRun.run("kafka+pc " + row, dir, "--kafka-dir", scenario, args);
    }

    /** The row "kafka consumer {@code scenario}": the plain KafkaConsumer. */
    static Result plain(Path dir, String scenario, String... args) throws Exception {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--consumer";
        all[args.length + 1] = "plain";
        return ExternalRun.run("kafka consumer " + scenario, dir, "--kafka-dir", scenario, all);
    }
}
