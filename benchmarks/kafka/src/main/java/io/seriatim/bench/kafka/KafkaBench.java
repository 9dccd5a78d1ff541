package io.seriatim.bench.kafka;

import io.confluent.parallelconsumer.ParallelStreamProcessor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.AppInfoParser;

/**
 * The Kafka side of the Seriatim benchmark, against a broker that run.sh started. Runs one scenario
 * twice in this JVM and broker: a fresh pass (new processes, cold JIT) and a warm pass (a new topic
 * and consumer group), as Seriatim's deployment bench reports fresh and warm apart. Progress goes to
 * stderr; the only stdout line is the JSON result.
 *
 * <pre>
 * KafkaBench --bootstrap HOST:PORT --scenario dense|drain|sparse|paced|sleep|mixed [--quick]
 *   [--keys N] [--jobs-per-key M] [--rate R] [--seconds S] [--head S] [--payload B]
 *   [--partitions P] [--concurrency C] [--consumer pc|plain]
 * </pre>
 */
public final class KafkaBench {
    private static final List<String> SCENARIOS = List.of("dense", "drain", "sparse", "paced", "sleep", "mixed");
    private static String logPrefix = "[kafka]";

    private final String bootstrap;
    private final String scenario;
    private final int keys;
    private final int jobsPerKey;
    private final int rate;
    private final Duration length;
    private final Duration head;
    private final int payload;
    private final int partitions;
    private final int concurrency;
    private final boolean plain;
    private final String[] keyNames;

    private KafkaBench(Map<String, String> a, boolean quick) {
        bootstrap = required(a, "bootstrap");
        scenario = required(a, "scenario");
        if (!SCENARIOS.contains(scenario)) {
            throw new IllegalArgumentException("unknown scenario " + scenario + "; known: " + SCENARIOS);
        }
        logPrefix = "[kafka " + scenario + "]";
        boolean sparse = scenario.equals("sparse");
        // The same shapes as Seriatim's deployment bench; --quick: its tiny sizes, a smoke test.
        keys = num(a, "keys", sparse ? (quick ? 1000 : 100_000) : (quick ? 50 : 1000));
        jobsPerKey = num(a, "jobs-per-key", sparse ? 2 : scenario.equals("sleep") ? (quick ? 20 : 200) : (quick ? 40 : 200));
        rate = num(a, "rate", quick ? 1000 : 10_000);
        length = Duration.ofSeconds(num(a, "seconds", scenario.equals("mixed") ? (quick ? 1 : 10) : (quick ? 2 : 30)));
        // The first seconds of a paced run are reported apart (a fresh JVM's JIT); mixed, flat out
        // from the start, is not split, as in the deployment bench.
        head = Duration.ofSeconds(num(a, "head", scenario.equals("mixed") ? 0 : quick ? 1 : 5));
        payload = num(a, "payload", 100);
        // 16 partitions: with KEY ordering parallel-consumer's parallelism does not come from
        // partitions, so this only has to leave room for a second consumer process and keep the
        // producer's per-partition batches from getting small (a batch is per partition).
        partitions = num(a, "partitions", 16);
        concurrency = num(a, "concurrency", 256);
        plain = switch (a.getOrDefault("consumer", "pc")) {
            case "pc" -> false;
            case "plain" -> true;
            default -> throw new IllegalArgumentException("--consumer is pc or plain");
        };
        keyNames = new String[keys];
        for (int k = 0; k < keys; k++) {
            keyNames[k] = "key-" + k;
        }
    }

    /** One pass's figures. */
    private record Pass(double jobsPerSec, Histogram latencies, Histogram head, long runs, long expected,
            long violations, long lost) {}

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>();
        boolean quick = false;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--quick")) {
                quick = true;
            } else if (args[i].startsWith("--") && i + 1 < args.length) {
                a.put(args[i].substring(2), args[++i]);
            } else {
                throw new IllegalArgumentException("unexpected argument " + args[i]);
            }
        }
        KafkaBench bench = new KafkaBench(a, quick);
        String json;
        boolean ok;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bench.bootstrap))) {
            Pass fresh = bench.pass(admin, "fresh");
            Pass warm = bench.pass(admin, "warm");
            ok = fresh.violations + warm.violations == 0 && fresh.lost + warm.lost == 0;
            json = bench.json(fresh, warm, ok);
        } catch (Exception e) {
            e.printStackTrace();
            ok = false;
            // Only what JSON needs escaping in a message of one line.
            String message = String.valueOf(e).replace("\\", "/").replace('"', '\'').replaceAll("\\s+", " ");
            json = "{\"scenario\":\"" + bench.scenario + "\",\"system\":\"" + bench.system()
                    + "\",\"error\":\"" + message + "\",\"ok\":false}";
        }
        System.out.println(json);
        System.out.flush();
        // parallel-consumer and the clients leave non-daemon threads behind on some errors.
        System.exit(ok ? 0 : 1);
    }

    private Pass pass(Admin admin, String name) throws Exception {
        String topic = "bench-" + scenario + "-" + name;
        createTopic(admin, topic);
        boolean preloaded = scenario.equals("drain") || scenario.equals("sleep");
        Check check = new Check(keys, scenario.equals("paced") || scenario.equals("mixed"));
        BiConsumer<String, byte[]> handler = scenario.equals("sleep")
                ? (k, v) -> {
                    check.saw(k, v);
                    sleep1ms();
                }
                : check::saw;
        long[] produced = new long[keys];
        AtomicLong failedSends = new AtomicLong();
        try (KafkaProducer<String, byte[]> producer = producer()) {
            if (preloaded) {
                long t = System.nanoTime();
                produceFixed(producer, topic, produced, failedSends);
                producer.flush();
                log(name + ": preloaded " + sum(produced) + " in " + secs(System.nanoTime() - t) + " s");
            }
            long joining = System.nanoTime();
            String group = topic + "-group";
            try (ConsumerSide consumer = plain ? ConsumerSide.plain(bootstrap, group, topic, handler)
                    : ConsumerSide.parallel(bootstrap, group, topic, concurrency, handler)) {
                // Timed from the assignment on, as a worker is timed once it runs: connecting and
                // joining the group are start-up, not throughput.
                long start = consumer.awaitAssigned();
                check.headUntil(start + head.toNanos());
                log(name + ": consumer assigned after " + secs(start - joining) + " s");
                if (!preloaded) {
                    switch (scenario) {
                        case "paced" -> producePaced(producer, topic, produced, failedSends);
                        case "mixed" -> produceFor(producer, topic, produced, failedSends);
                        default -> produceFixed(producer, topic, produced, failedSends);
                    }
                    producer.flush();
                    log(name + ": produced " + sum(produced) + " in " + secs(System.nanoTime() - start) + " s, "
                            + failedSends.get() + " sends failed");
                }
                long expected = sum(produced);
                awaitRuns(check, expected, name);
                long runs = check.runs.get();
                long end = runs >= expected ? check.lastRunAt : System.nanoTime();
                log(name + ": " + runs + "/" + expected + " runs in " + secs(end - start) + " s, "
                        + check.violations.get() + " order violations");
                return new Pass(runs / ((end - start) / 1e9), check.latencies(), check.headLatencies(), runs, expected,
                        check.violations.get(), check.lost(produced));
            }
        }
    }

    /**
     * Creates the topic and waits until the broker hosts every partition's log. createTopics
     * returns once the controller has the topic, before the broker leads its partitions; an
     * idempotent producer that sends in that gap gets NOT_LEADER_OR_FOLLOWER, and then (seen
     * here with 3.9.1) OUT_OF_ORDER_SEQUENCE_NUMBER until its sends time out after 2 minutes.
     */
    private void createTopic(Admin admin, String topic) throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(60, TimeUnit.SECONDS);
        int broker = admin.describeCluster().nodes().get(60, TimeUnit.SECONDS).iterator().next().id();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            long hosted = admin.describeLogDirs(List.of(broker)).allDescriptions().get(60, TimeUnit.SECONDS).get(broker)
                    .values().stream().flatMap(dir -> dir.replicaInfos().keySet().stream())
                    .filter(tp -> tp.topic().equals(topic)).count();
            if (hosted == partitions) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the broker hosts " + hosted + " of " + topic + "'s " + partitions
                        + " partitions after 60 s");
            }
            Thread.sleep(20);
        }
    }

    /**
     * acks=all (the default; one broker, so the same as acks=1) with idempotence (the default, which
     * keeps a key's order through retries); a 1 ms linger like Seriatim's client, and batches of
     * 64 KiB (the default 16 KiB holds only ~130 of these messages).
     */
    private KafkaProducer<String, byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "1");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(64 * 1024));
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    private void send(KafkaProducer<String, byte[]> producer, String topic, int k, long[] produced, AtomicLong failed) {
        long seq = ++produced[k];
        producer.send(new ProducerRecord<>(topic, keyNames[k], Check.value(seq, System.nanoTime(), payload)), (md, e) -> {
            if (e != null) {
                failed.incrementAndGet();
            }
        });
    }

    /** keys x jobsPerKey, the keys interleaved (each key's seq 1 first, then each key's 2, ...). */
    private void produceFixed(KafkaProducer<String, byte[]> producer, String topic, long[] produced, AtomicLong failed) {
        for (int seq = 1; seq <= jobsPerKey; seq++) {
            for (int k = 0; k < keys; k++) {
                send(producer, topic, k, produced, failed);
            }
        }
    }

    /** {@code rate} messages a second for {@code length}, round-robin over the keys. */
    private void producePaced(KafkaProducer<String, byte[]> producer, String topic, long[] produced, AtomicLong failed) {
        long start = System.nanoTime();
        long end = start + length.toNanos();
        for (long i = 0; System.nanoTime() < end; i++) {
            send(producer, topic, (int) (i % keys), produced, failed);
            // Paced without spinning (as Seriatim's bench): on 2 cores a busy-wait would take a core
            // from the broker and the consumer it is measuring.
            long ahead = start + (i + 1) * 1_000_000_000L / rate - System.nanoTime();
            if (ahead > 200_000) {
                LockSupport.parkNanos(ahead);
            }
        }
    }

    /** Flat out for {@code length}, round-robin over the keys; send() blocks when the producer's buffer is full. */
    private void produceFor(KafkaProducer<String, byte[]> producer, String topic, long[] produced, AtomicLong failed) {
        long end = System.nanoTime() + length.toNanos();
        for (long i = 0; System.nanoTime() < end; i++) {
            send(producer, topic, (int) (i % keys), produced, failed);
        }
    }

    /**
     * Until every message has run, or nothing has run for 15 s (lost messages, or a stuck
     * consumer: the check then fails the run instead of hanging), or 10 minutes have passed.
     */
    private static void awaitRuns(Check check, long expected, String name) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        long seen = -1;
        long progressAt = System.nanoTime();
        long loggedAt = System.nanoTime();
        while (check.runs.get() < expected && System.nanoTime() < deadline) {
            Thread.sleep(5);
            long now = System.nanoTime();
            long runs = check.runs.get();
            if (runs != seen) {
                seen = runs;
                progressAt = now;
            } else if (now - progressAt > TimeUnit.SECONDS.toNanos(15)) {
                log(name + ": no progress for 15 s, giving up");
                return;
            }
            if (now - loggedAt > TimeUnit.SECONDS.toNanos(5)) {
                loggedAt = now;
                log(name + ": " + runs + "/" + expected + " runs");
            }
        }
    }

    private String system() {
        String consumer = plain ? "KafkaConsumer (one thread, partition order)"
                : "parallel-consumer " + parallelConsumerVersion() + " (KEY order, concurrency " + concurrency + ")";
        return "kafka " + AppInfoParser.getVersion() + " + " + consumer + ", " + partitions + " partitions";
    }

    /** From the jar's name (parallel-consumer-core-X.jar): its manifest carries no version. */
    private static String parallelConsumerVersion() {
        try {
            String jar = Path.of(ParallelStreamProcessor.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .getFileName().toString();
            return jar.replaceFirst("^parallel-consumer-core-", "").replaceFirst("\\.jar$", "");
        } catch (Exception e) {
            return "?";
        }
    }

    /**
     * Figures of the warm pass as jobsPerSec, p50ms, ...; of the fresh pass as freshJobsPerSec, ...;
     * latencies only for paced and mixed, of messages sent after the head (the first --head
     * seconds), the head's p99 apart. runs, expected, violations and lost add up both passes.
     */
    private String json(Pass fresh, Pass warm, boolean ok) {
        StringBuilder j = new StringBuilder("{\"scenario\":\"" + scenario + "\",\"system\":\"" + system() + "\"");
        figure(j, "jobsPerSec", warm.jobsPerSec);
        figure(j, "freshJobsPerSec", fresh.jobsPerSec);
        if (warm.latencies.getTotalCount() > 0 || fresh.latencies.getTotalCount() > 0) {
            figure(j, "p50ms", ms(warm.latencies, 50));
            figure(j, "p99ms", ms(warm.latencies, 99));
            figure(j, "p999ms", ms(warm.latencies, 99.9));
            if (warm.head.getTotalCount() > 0) {
                figure(j, "headP99ms", ms(warm.head, 99));
            }
            figure(j, "freshP50ms", ms(fresh.latencies, 50));
            figure(j, "freshP99ms", ms(fresh.latencies, 99));
            if (fresh.head.getTotalCount() > 0) {
                figure(j, "freshHeadP99ms", ms(fresh.head, 99));
            }
        }
        j.append(",\"runs\":").append(fresh.runs + warm.runs)
                .append(",\"expected\":").append(fresh.expected + warm.expected)
                .append(",\"violations\":").append(fresh.violations + warm.violations)
                .append(",\"lost\":").append(fresh.lost + warm.lost)
                .append(",\"ok\":").append(ok).append('}');
        return j.toString();
    }

    private static void figure(StringBuilder j, String name, double value) {
        j.append(",\"").append(name).append("\":").append(String.format(Locale.ROOT, "%.2f", value));
    }

    private static double ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1000.0;
    }

    private static void sleep1ms() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long sum(long[] a) {
        long s = 0;
        for (long v : a) {
            s += v;
        }
        return s;
    }

    private static String secs(long nanos) {
        return String.format(Locale.ROOT, "%.2f", nanos / 1e9);
    }

    private static void log(String m) {
        System.err.println(logPrefix + " " + m);
    }

    private static String required(Map<String, String> a, String name) {
        String v = a.get(name);
        if (v == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return v;
    }

    private static int num(Map<String, String> a, String name, int dflt) {
        return a.containsKey(name) ? Integer.parseInt(a.get(name)) : dflt;
    }
}
