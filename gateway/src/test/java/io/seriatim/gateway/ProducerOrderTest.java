package io.seriatim.gateway;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.seriatim.client.Producer;
import io.seriatim.core.queue.KeyedQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProducerOrderTest extends GatewayTestSupport {

    @Test
    void manyKeysFromSeveralThreadsAndConnectionsAreEnqueuedInSendOrder() throws Exception {
        KeyedQueue q = queue();
        GatewayServer g = gateway(gatewaySettings().maxInFlight(4).build());
        List<Producer> producers = List.of(producer(producerSettings(g.port()).maxBatchJobs(64).build()),
                producer(producerSettings(g.port()).maxBatchJobs(7).build()),
                producer(producerSettings(g.port()).linger(Duration.ZERO).build()));
        int keysPerThread = 20;
        int jobsPerKey = 100;
        List<Thread> threads = new ArrayList<>();
        List<CompletableFuture<Long>> futures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 6; t++) {
            Producer p = producers.get(t % 3);
            int thread = t;
            threads.add(Thread.ofPlatform().start(() -> {
                for (int seq = 1; seq <= jobsPerKey; seq++) {
                    for (int k = 0; k < keysPerThread; k++) {
                        futures.add(p.submit("t" + thread + "-k" + k, ("" + seq).getBytes(UTF_8)));
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        List<String> expected = new ArrayList<>();
        for (int seq = 1; seq <= jobsPerKey; seq++) {
            expected.add("" + seq);
        }
        for (int t = 0; t < 6; t++) {
            for (int k = 0; k < keysPerThread; k++) {
                assertThat(payloads(q, "t" + t + "-k" + k)).as("key t%d-k%d", t, k).isEqualTo(expected);
            }
        }
        assertThat(futures.stream().map(CompletableFuture::join).distinct()).hasSize(6 * keysPerThread * jobsPerKey);
    }

    @Test
    void headersDelaysAndOwnDedupIdsTravel() throws Exception {
        KeyedQueue q = queue();
        GatewayServer g = gateway(gatewaySettings().build());
        Producer p = producer(producerSettings(g.port()).build());
        var opts = io.seriatim.client.SubmitOptions.NONE.withHeaders(Map.of("trace", "abc")).withDedupId("order-7");
        long id = p.submit("k", "x".getBytes(UTF_8), opts).get(10, TimeUnit.SECONDS);
        assertThat(p.submit("k", "x".getBytes(UTF_8), opts).get(10, TimeUnit.SECONDS)).as("same dedup id").isEqualTo(id);
        p.submit("k", "later".getBytes(UTF_8), io.seriatim.client.SubmitOptions.NONE.withDelay(Duration.ofHours(1)))
                .get(10, TimeUnit.SECONDS);
        var k = q.inspect("k", 10);
        assertThat(k.pending()).isEqualTo(1);
        assertThat(k.head().getFirst().headers()).containsEntry("trace", "abc");
        assertThat(q.counts().counters()).containsEntry("delayed", 1L);
    }
}
