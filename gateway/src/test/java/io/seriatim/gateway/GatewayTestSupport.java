package io.seriatim.gateway;

import com.codahale.metrics.MetricRegistry;
import io.seriatim.client.Producer;
import io.seriatim.client.ProducerSettings;
import io.seriatim.core.queue.KeyedQueue;
import io.seriatim.core.redis.RedisSettings;
import io.seriatim.core.settings.NamespaceSettings;
import io.seriatim.testkit.RedisExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A real Redis, a namespace, gateways and producers that are always closed. */
abstract class GatewayTestSupport {
    static final String NS = "orders";

    @RegisterExtension
    static final RedisExtension redis = new RedisExtension();

    final List<AutoCloseable> closeables = new ArrayList<>();
    final MetricRegistry metrics = new MetricRegistry();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    KeyedQueue queue() {
        return KeyedQueue.open(redis.client(), NamespaceSettings.builder(NS).build());
    }

    GatewaySettings.Builder gatewaySettings() {
        return GatewaySettings.builder(RedisSettings.builder(redis.server().uri()).connectTimeout(Duration.ofMillis(500))
                .socketTimeout(Duration.ofMillis(1000)).build()).host("127.0.0.1").port(0);
    }

    GatewayServer gateway(GatewaySettings settings) {
        GatewayServer g = GatewayServer.start(settings, metrics);
        closeables.add(g);
        return g;
    }

    ProducerSettings.Builder producerSettings(int port) {
        return ProducerSettings.builder("127.0.0.1", port, NS);
    }

    Producer producer(ProducerSettings settings) {
        Producer p = Producer.connect(settings);
        closeables.add(p);
        return p;
    }

    /** The payloads of a key's pending jobs, in Redis order. */
    List<String> payloads(KeyedQueue q, String key) {
        return q.inspect(key, 100_000).head().stream().map(j -> new String(j.payload(), StandardCharsets.UTF_8)).toList();
    }
}
