package io.seriatim.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.seriatim.core.queue.KeyedQueue;
import io.seriatim.core.settings.NamespaceSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Workers as real processes: kill -9 one, or SIGSTOP it past its lease. */
class WorkerProcessTest extends WorkerTestSupport {
    static final long LEASE_MS = 2000;
    static final long SWEEP_EVERY_MS = 100;
    static final int KEYS = 60;
    static final int JOBS = 25;

    record Run(String key, long seq, long fence, long pid, long nanos) {}

    final List<Process> processes = new ArrayList<>();
    volatile boolean sweeping = true;

    @AfterEach
    void stopProcesses() {
        sweeping = false;
        for (Process p : processes) {
            resume(p);
            p.destroyForcibly();
        }
    }

    Process startWorker(String ns, String id) throws IOException, InterruptedException {
        Path out = Files.createTempFile("worker-" + id, ".log");
        ProcessBuilder pb = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                WorkerProcessMain.class.getName(), redis.server().uri(), ns, id, Long.toString(LEASE_MS), "4")
                .redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().put("SERIATIM_TEST_LOG", "INFO");
        Process p = pb.start();
        processes.add(p);
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(out).contains("READY"));
        logs.put(p, out);
        return p;
    }

    final Map<Process, Path> logs = new HashMap<>();
    long worst;

    void recordWorst(long ms) {
        worst = Math.max(worst, ms);
    }

    /** Plays the sweeper: the daemon has its own module, this test needs only the script. */
    void sweepInBackground(KeyedQueue queue) {
        Thread.ofVirtual().start(() -> {
            while (sweeping) {
                try {
                    queue.sweep(0, 1000);
                    Thread.sleep(SWEEP_EVERY_MS);
                } catch (Exception e) {
                    return;
                }
            }
        });
    }

    List<Run> ledger() {
        return redis.client().lrange("ledger", 0, -1).stream().map(s -> {
            String[] f = s.split("\\|");
            return new Run(f[0], Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]));
        }).toList();
    }

    /**
     * Per key, in the order runs started (RPUSH order): every job 1..n ran; a job started only
     * once all earlier ones had started; no run under a fence older than one already seen.
     * Returns the number of duplicate runs.
     */
    static int assertOrderedAndComplete(List<Run> runs, int keys, int jobs) {
        Map<String, List<Run>> byKey = new LinkedHashMap<>();
        runs.forEach(r -> byKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r));
        assertThat(byKey).hasSize(keys);
        int duplicates = 0;
        for (var e : byKey.entrySet()) {
            TreeSet<Long> notStarted = new TreeSet<>();
            for (long i = 1; i <= jobs; i++) {
                notStarted.add(i);
            }
            long fence = 0;
            for (Run r : e.getValue()) {
                if (!notStarted.isEmpty()) {
                    assertThat(r.seq()).as("key %s ran %d before %d", e.getKey(), r.seq(), notStarted.first())
                            .isLessThanOrEqualTo(notStarted.first());
                }
                if (!notStarted.remove(r.seq())) {
                    duplicates++;
                }
                assertThat(r.fence()).as("key %s: a stale fence ran after a newer one", e.getKey()).isGreaterThanOrEqualTo(fence);
                fence = r.fence();
            }
            assertThat(notStarted).as("jobs of key %s never run", e.getKey()).isEmpty();
        }
        return duplicates;
    }

    @Test
    void aKilledWorkersKeysRunAgainElsewhereInOrderWithinLeasePlusSweep() throws Exception {
        NamespaceSettings ns = NamespaceSettings.builder("crash").maxAttempts(1000).build();
        KeyedQueue queue = KeyedQueue.open(redis.client(), ns);
        Process a = startWorker("crash", "A");
        startWorker("crash", "B");
        sweepInBackground(queue);
        submit(queue, keys("k", KEYS), JOBS);
        await().atMost(Duration.ofSeconds(30)).until(() -> redis.client().llen("ledger") > KEYS * JOBS / 4);
        long killedAt = System.nanoTime();
        a.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(60)).until(() -> queue.counts().pendingJobs() == 0);

        List<Run> runs = ledger();
        int duplicates = assertOrderedAndComplete(runs, KEYS, JOBS);
        // Only jobs in flight at the kill run twice: at most a batch (8) per key the victim held (8).
        assertThat(duplicates).isLessThanOrEqualTo(8 * 8);
        long worstMs = 0;
        for (String key : keys("k", KEYS)) {
            List<Run> ofKey = runs.stream().filter(r -> r.key().equals(key)).toList();
            long lastByVictim = ofKey.stream().filter(r -> r.pid() == a.pid()).mapToLong(Run::nanos).max().orElse(-1);
            ofKey.stream().filter(r -> r.pid() != a.pid() && r.nanos() > killedAt).mapToLong(Run::nanos).min()
                    .ifPresent(firstAfter -> {
                        if (lastByVictim > 0) {
                            recordWorst(Math.max(0, firstAfter - Math.max(killedAt, lastByVictim)) / 1_000_000);
                        }
                    });
            worstMs = Math.max(worstMs, worst);
        }
        System.out.println("crash test: duplicates=" + duplicates + ", worst time for a dead worker's key to run again="
                + worstMs + " ms (lease " + LEASE_MS + " ms, sweep every " + SWEEP_EVERY_MS + " ms)");
        assertThat(worstMs).as("a dead worker's key ran again within lease + sweep interval + 1.5 s margin")
                .isLessThanOrEqualTo(LEASE_MS + SWEEP_EVERY_MS + 1500);
    }

    @Test
    void aStalledWorkerIsFencedOffAndStopsItselfWhenItWakes() throws Exception {
        NamespaceSettings ns = NamespaceSettings.builder("stall").maxAttempts(1000).build();
        KeyedQueue queue = KeyedQueue.open(redis.client(), ns);
        Process a = startWorker("stall", "A");
        startWorker("stall", "B");
        sweepInBackground(queue);
        submit(queue, keys("k", KEYS), JOBS);
        await().atMost(Duration.ofSeconds(30)).until(() -> redis.client().llen("ledger") > KEYS * JOBS / 4);
        signal(a, "STOP");
        long stalledAt = System.nanoTime();
        // Past 2.5 leases, the sweeper has given A's keys to B.
        await().atMost(Duration.ofSeconds(30)).until(() -> System.nanoTime() - stalledAt > LEASE_MS * 2_500_000L);
        signal(a, "CONT");
        await().atMost(Duration.ofSeconds(60)).until(() -> queue.counts().pendingJobs() == 0);

        assertOrderedAndComplete(ledger(), KEYS, JOBS);
        // A strand frozen after its lease check wakes into its job once; the fenced ledger refused it.
        String refused = redis.client().get("ledger:refused");
        System.out.println("stall test: late writes under a stale fence, refused by the ledger: "
                + (refused == null ? 0 : refused));
        assertThat(refused == null ? 0 : Long.parseLong(refused)).as("at most one late job per strand").isLessThanOrEqualTo(8);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Files.readString(logs.get(a)))
                .as("the stalled worker learned it lost its keys").containsAnyOf("answered STALE", "lost its lease"));
    }

    static void signal(Process p, String sig) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + sig, Long.toString(p.pid())).start().waitFor(5, TimeUnit.SECONDS);
    }

    static void resume(Process p) {
        try {
            signal(p, "CONT");
        } catch (Exception ignored) {
            // already gone
        }
    }
}
