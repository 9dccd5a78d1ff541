package io.seriatim.gateway;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import io.seriatim.proto.v1.Rejection;

/** The gateway's metrics, named {@code seriatim.gateway.*}. Thread-safe. */
final class GatewayMetrics {
    private final MetricRegistry registry;
    final Meter submitted;
    final Histogram batchSizes;
    final Timer redisTime;
    final Counter connections;
    final Meter refusedConnections;
    final Meter badFrames;

    GatewayMetrics(MetricRegistry registry) {
        this.registry = registry;
        submitted = registry.meter("seriatim.gateway.jobs-submitted");
        batchSizes = registry.histogram("seriatim.gateway.batch-size");
        redisTime = registry.timer("seriatim.gateway.redis-time");
        connections = registry.counter("seriatim.gateway.connections");
        refusedConnections = registry.meter("seriatim.gateway.connections-refused");
        badFrames = registry.meter("seriatim.gateway.bad-frames");
    }

    void rejected(Rejection.Code code) {
        registry.meter("seriatim.gateway.rejected." + code.name().toLowerCase(java.util.Locale.ROOT)).mark();
    }
}
