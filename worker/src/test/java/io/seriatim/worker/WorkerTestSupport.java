package io.seriatim.worker;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.codahale.metrics.MetricRegistry;
import io.seriatim.core.queue.EnqueueRequest;
import io.seriatim.core.queue.KeyedQueue;
import io.seriatim.core.queue.NewJob;
import io.seriatim.core.redis.RedisSettings;
import io.seriatim.core.settings.NamespaceSettings;
import io.seriatim.testkit.RedisExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A real Redis, helpers to submit numbered jobs, and workers that are always closed. */
abstract class WorkerTestSupport {
    @RegisterExtension
    static final RedisExtension redis = new RedisExtension();

    final List<Worker> workers = new ArrayList<>();
    final MetricRegistry metrics = new MetricRegistry();

    @AfterEach
    void closeWorkers() {
        workers.forEach(Worker::close);
    }

    RedisSettings redisSettings() {
        return RedisSettings.builder(redis.server().uri()).poolSize(64).build();
    }

    WorkerSettings.Builder settings(NamespaceSettings namespace) {
        return WorkerSettings.builder(redisSettings(), namespace)
                .leaseTime(Duration.ofSeconds(5))
                .idleWait(Duration.ofMillis(200))
                .backoff(Backoff.fixed(Duration.ofMillis(20)))
                .shutdownTimeout(Duration.ofSeconds(5));
    }

    Worker start(WorkerSettings settings, JobHandler handler) {
        Worker w = Worker.start(settings, handler, metrics);
        workers.add(w);
        return w;
    }

    /** Submits jobs "key:1".."key:n" for each key, interleaving keys; returns key -> n. */
    static Map<String, Integer> submit(KeyedQueue queue, List<String> keys, int perKey) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        List<EnqueueRequest> batch = new ArrayList<>();
        for (int i = 1; i <= perKey; i++) {
            for (String key : keys) {
                batch.add(new EnqueueRequest(key, List.of(NewJob.of((key + ":" + i).getBytes(UTF_8))), null));
                counts.merge(key, 1, Integer::sum);
                if (batch.size() == 500) {
                    queue.enqueueAll(batch);
                    batch.clear();
                }
            }
        }
        if (!batch.isEmpty()) {
            queue.enqueueAll(batch);
        }
        return counts;
    }

    static long seqOf(WorkerJob job) {
        String s = new String(job.payload(), UTF_8);
        return Long.parseLong(s.substring(s.lastIndexOf(':') + 1));
    }

    static List<String> keys(String prefix, int n) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            keys.add(prefix + i);
        }
        return keys;
    }

    /** A handler that records each run in the ledger, then runs {@code body}. */
    static JobHandler recording(Ledger ledger, String worker, JobHandler body) {
        return (job, context) -> {
            long start = System.nanoTime();
            try {
                body.handle(job, context);
            } finally {
                ledger.record(job.key(), new Ledger.Entry(seqOf(job), job.id(), job.fence(), job.attempt(), worker, start,
                        System.nanoTime()));
            }
        };
    }
}
