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
    /** Connections open now (a Dropwizard counter: it goes down; exported as a gauge). */
    final Counter connections;
    final Meter refusedConnections;
    final Meter badFrames;
    /** Connections closed because the process-wide budget for unfinished frames was used up. */
    final Meter overloaded;
    /** Connections closed for sending nothing after Hello, or for not taking their answers. */
    final Meter idleClosed;
    /** Errors and unexpected exceptions caught on a gateway thread (each is logged too). */
    final Meter failures;

    GatewayMetrics(MetricRegistry registry) {
        this.registry = registry;
        submitted = registry.meter("seriatim.gateway.jobs-submitted");
        batchSizes = registry.histogram("seriatim.gateway.batch-size");
        redisTime = registry.timer("seriatim.gateway.redis-time");
        connections = registry.counter("seriatim.gateway.connections");
        refusedConnections = registry.meter("seriatim.gateway.connections-refused");
        badFrames = registry.meter("seriatim.gateway.bad-frames");
        overloaded = registry.meter("seriatim.gateway.connections-overloaded");
        idleClosed = registry.meter("seriatim.gateway.connections-idle-closed");
        failures = registry.meter("seriatim.gateway.failures");
        // Every reason from the start, at 0: a rate or an alert over rejections then has a series
        // to read before the first rejection, and a reason that never happens shows as 0, not absent.
        for (Rejection.Code code : Rejection.Code.values()) {
            if (code != Rejection.Code.CODE_UNSPECIFIED && code != Rejection.Code.UNRECOGNIZED) {
                rejectedMeter(code);
            }
        }
    }

    void rejected(Rejection.Code code) {
        rejected(code, 1);
    }

    void rejected(Rejection.Code code, long jobs) {
        rejectedMeter(code).mark(jobs);
    }

    private Meter rejectedMeter(Rejection.Code code) {
        return registry.meter("seriatim.gateway.rejected." + code.name().toLowerCase(java.util.Locale.ROOT));
    }
}
