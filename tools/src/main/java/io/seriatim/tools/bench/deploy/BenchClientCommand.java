package io.seriatim.tools.bench.deploy;

import io.seriatim.client.Producer;
import io.seriatim.client.ProducerSettings;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code seriatim bench-client} (hidden): the deployment bench's Java client, a process of its
 * own with one {@link Producer} on the product's default settings, as an application would have.
 *
 * <p>It reads one {@link RunPlan} line at a time from stdin, submits that run, waits for every
 * answer, and prints a {@link ClientReport} line. It ends at the end of stdin, so it also ends
 * when the bench that started it dies. The main thread submits; the producer's own threads send
 * and complete the futures.
 */
@Command(name = "bench-client", hidden = true, mixinStandardHelpOptions = true,
        description = "The deployment bench's client: runs on stdin lines 'run ...', answers 'bench-client done ...'.")
public final class BenchClientCommand implements Callable<Integer> {
    static final String READY = "bench-client ready";

    @Option(names = "--gateway", required = true, paramLabel = "HOST:PORT", description = "gateway address")
    String gateway;

    @Option(names = {"-n", "--namespace"}, required = true, description = "namespace")
    String namespace;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        int colon = gateway.lastIndexOf(':');
        if (colon < 1) {
            throw new IllegalArgumentException("--gateway must be HOST:PORT, got '" + gateway + "'");
        }
        PrintWriter out = spec.commandLine().getOut();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try (Producer producer = Producer.connect(ProducerSettings.builder(gateway.substring(0, colon),
                Integer.parseInt(gateway.substring(colon + 1)), namespace).clientName("seriatim-bench").build())) {
            out.println(READY);
            out.flush();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (!line.isBlank()) {
                    out.println(run(producer, RunPlan.parse(line.strip())).toLine());
                    out.flush();
                }
            }
        }
        return 0;
    }

    private static ClientReport run(Producer producer, RunPlan plan) throws InterruptedException {
        String[] names = new String[plan.keys()];
        for (int k = 0; k < names.length; k++) {
            names[k] = RunPlan.keyName(plan.firstKey() + k);
        }
        AtomicLong answered = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        // The count to reach, set once the loop ends; until then no answer can be the last one.
        AtomicLong target = new AtomicLong(-1);
        CompletableFuture<Long> allAnswered = new CompletableFuture<>(); // completes with the last answer's nanos
        long start = System.nanoTime();
        long until = plan.length().isZero() ? Long.MAX_VALUE : start + plan.length().toNanos();
        long first = 0;
        long last = 0;
        long maxLag = 0;
        long submitted = 0;
        for (long i = 0; plan.jobs() == 0 || i < plan.jobs(); i++) {
            if (plan.rate() > 0) {
                long ahead = start + i * 1_000_000_000L / plan.rate() - System.nanoTime();
                // Parked, not spinning: on 2 cores a busy-wait takes a core from what it measures.
                // parkNanos oversleeps by ~50-100 µs, so short waits are made up by the next jobs.
                if (ahead > 200_000) {
                    LockSupport.parkNanos(ahead);
                } else if (ahead < 0) {
                    maxLag = Math.max(maxLag, -ahead);
                }
            }
            long now = System.nanoTime();
            if (now >= until) {
                break;
            }
            if (i == 0) {
                first = now;
            }
            last = now;
            producer.submit(names[(int) (i % plan.keys())], JobPayload.encode(plan.keyOf(i), plan.seqOf(i), now,
                    plan.payloadBytes())).whenComplete((id, error) -> {
                        if (error != null) {
                            failed.incrementAndGet();
                        }
                        if (answered.incrementAndGet() == target.get()) {
                            allAnswered.complete(System.nanoTime());
                        }
                    });
            submitted++;
        }
        target.set(submitted);
        if (answered.get() == submitted) {
            allAnswered.complete(System.nanoTime());
        }
        long answeredAt;
        try {
            // Longer than the producer's request timeout (30 s), after which every future has completed.
            answeredAt = allAnswered.get(60, TimeUnit.SECONDS);
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            return new ClientReport(submitted, failed.get() + submitted - answered.get(), first, last, System.nanoTime(), maxLag);
        }
        return new ClientReport(submitted, failed.get(), first, last, answeredAt, maxLag);
    }
}
