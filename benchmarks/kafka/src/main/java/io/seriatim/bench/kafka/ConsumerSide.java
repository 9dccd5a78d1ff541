package io.seriatim.bench.kafka;

import io.confluent.parallelconsumer.ParallelConsumerOptions;
import io.confluent.parallelconsumer.ParallelConsumerOptions.CommitMode;
import io.confluent.parallelconsumer.ParallelConsumerOptions.ProcessingOrder;
import io.confluent.parallelconsumer.ParallelStreamProcessor;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The consuming side of a pass: Confluent's parallel-consumer with KEY ordering (one message of a
 * key at a time, up to {@code concurrency} keys at once: the shape that compares with Seriatim),
 * or the plain {@link KafkaConsumer} (one thread, order per partition: Kafka's own ceiling).
 * Passes start timing only once it has its partitions, as a worker is timed once it runs.
 */
abstract class ConsumerSide implements AutoCloseable {
    private final CountDownLatch assigned = new CountDownLatch(1);
    private volatile long assignedAt;

    /** Notes the first assignment's time; what both consumers subscribe with. */
    final ConsumerRebalanceListener listener = new ConsumerRebalanceListener() {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty() && assigned.getCount() > 0) {
                assignedAt = System.nanoTime();
                assigned.countDown();
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}
    };

    /**
     * The nanoTime at which the consumer got its partitions. Taken in the listener, not after this
     * returns: the plain consumer can drain a small preloaded topic before this thread wakes up.
     */
    long awaitAssigned() throws InterruptedException {
        if (!assigned.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the consumer got no partitions in 60 s");
        }
        return assignedAt;
    }

    static Properties consumerProps(String bootstrap, String group) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        // earliest: a consumer that joins before the first message must still read it.
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return p;
    }

    /** parallel-consumer, ordering KEY, committing periodically (its default), on its own pool of {@code concurrency} threads. */
    static ConsumerSide parallel(String bootstrap, String group, String topic, int concurrency,
            BiConsumer<String, byte[]> handler) {
        Properties props = consumerProps(bootstrap, group);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"); // parallel-consumer commits itself
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        ParallelStreamProcessor<String, byte[]> pc = ParallelStreamProcessor.createEosStreamProcessor(
                ParallelConsumerOptions.<String, byte[]>builder()
                        .consumer(consumer)
                        .ordering(ProcessingOrder.KEY)
                        .maxConcurrency(concurrency)
                        .commitMode(CommitMode.PERIODIC_CONSUMER_ASYNCHRONOUS)
                        .build());
        return new ConsumerSide() {
            {
                pc.subscribe(List.of(topic), listener);
                pc.poll(ctx -> handler.accept(ctx.key(), ctx.value()));
            }

            @Override
            public void close() {
                pc.close();
            }
        };
    }

    /** The plain consumer: one thread polls and runs each record in turn (auto-commit, its default). */
    static ConsumerSide plain(String bootstrap, String group, String topic, BiConsumer<String, byte[]> handler) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerProps(bootstrap, group),
                new StringDeserializer(), new ByteArrayDeserializer());
        return new ConsumerSide() {
            volatile boolean closing;
            final Thread thread = Thread.ofPlatform().name("plain-consumer").start(() -> {
                try (consumer) {
                    consumer.subscribe(List.of(topic), listener);
                    while (!closing) {
                        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                            handler.accept(r.key(), r.value());
                        }
                    }
                }
            });

            @Override
            public void close() throws InterruptedException {
                closing = true;
                thread.join();
            }
        };
    }
}
