package io.seriatim.sweeper;

import static org.assertj.core.api.Assertions.assertThat;

import io.seriatim.core.queue.EnqueueRequest;
import io.seriatim.core.queue.KeyedQueue;
import io.seriatim.core.queue.SweepResult;
import io.seriatim.core.settings.NamespaceSettings;
import io.seriatim.testkit.RedisExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Protocol;

/**
 * Measures (prints, never asserts a time) how long Redis spends in one sweep call when 100,000
 * leases have expired at once, read from Redis' own SLOWLOG so the network is not counted.
 * The figure is in docs/sweeper.md.
 */
class SweepBacklogMeasurementTest {
    static final int KEYS = 100_000;

    @RegisterExtension
    static final RedisExtension redis = new RedisExtension(List.of("--appendonly", "no"));

    @Test
    @SuppressWarnings("deprecation") // Jedis 8 deprecates sendCommand and has no typed call for this command
    void oneBoundedSweepCallOnA100kBacklog() {
        KeyedQueue q = KeyedQueue.open(redis.client(), NamespaceSettings.builder("backlog").build());
        List<EnqueueRequest> batch = new ArrayList<>();
        for (int i = 0; i < KEYS; i++) {
            batch.add(EnqueueRequest.of("k" + i, new byte[16]));
            if (batch.size() == 1000) {
                q.enqueueAll(batch);
                batch.clear();
            }
        }
        while (!q.claim(0, "dead", 1000, Duration.ZERO, 1).keys().isEmpty()) {
            // every lease granted already expired
        }
        assertThat(q.counts().leasedKeys()).isEqualTo(KEYS);
        redis.client().sendCommand(Protocol.Command.CONFIG, "SET", "slowlog-log-slower-than", "0");
        for (int limit : new int[] {1000, 1000, 10_000}) {
            redis.client().sendCommand(Protocol.Command.SLOWLOG, "RESET");
            SweepResult r = q.sweep(0, limit);
            assertThat(r.swept()).isEqualTo(limit);
            List<?> log = (List<?>) redis.client().sendCommand(Protocol.Command.SLOWLOG, "GET", "10");
            long micros = 0;
            for (Object entry : log) {
                List<?> e = (List<?>) entry;
                String cmd = new String((byte[]) ((List<?>) e.get(3)).getFirst(), java.nio.charset.StandardCharsets.UTF_8).toLowerCase(java.util.Locale.ROOT);
                if (cmd.startsWith("eval")) {
                    micros = Math.max(micros, (Long) e.get(2));
                }
            }
            System.out.printf("sweep of %,d expired leases (backlog %,d): %,d us in Redis%n", limit,
                    q.counts().leasedKeys() + limit, micros);
        }
    }
}
