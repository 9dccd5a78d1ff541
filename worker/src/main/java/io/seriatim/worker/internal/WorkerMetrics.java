package io.seriatim.worker.internal;

import com.codahale.metrics.Histogram;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.SlidingTimeWindowArrayReservoir;
import com.codahale.metrics.Timer;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The worker's Dropwizard metrics, named {@code seriatim.worker.<namespace>.*}, and a gauge
 * {@code worker-id} whose value is the worker's id, from which the Prometheus endpoint labels the
 * others ({@code worker="..."}). Thread-safe.
 */
public final class WorkerMetrics {
    final Meter acked;
    final Meter failed;
    final Meter retried;
    final Meter deadLettered;
    final Meter parked;
    final Meter stale;
    final Meter redisErrors;
    final Timer handlerTime;
    /** Ack script calls, and the keys they acknowledged: keys ÷ calls is how well acks are gathered. */
    final Meter ackCalls;
    final Meter ackedKeys;
    /** Submit (Redis clock) to handler start, in milliseconds. */
    final Histogram endToEndMs;

    public WorkerMetrics(MetricRegistry registry, String namespace, String workerId, IntSupplier keysHeld) {
        String p = "seriatim.worker." + namespace + ".";
        acked = registry.meter(p + "acked");
        failed = registry.meter(p + "failed");
        retried = registry.meter(p + "retried");
        deadLettered = registry.meter(p + "dead-lettered");
        parked = registry.meter(p + "parked");
        stale = registry.meter(p + "stale");
        redisErrors = registry.meter(p + "redis-errors");
        handlerTime = registry.timer(p + "handler-time");
        ackCalls = registry.meter(p + "ack-calls");
        ackedKeys = registry.meter(p + "ack-keys");
        endToEndMs = registry.histogram(p + "end-to-end-latency-ms",
                () -> new Histogram(new SlidingTimeWindowArrayReservoir(1, TimeUnit.MINUTES)));
        registry.gauge(p + "keys-held", () -> keysHeld::getAsInt);
        registry.gauge(p + "worker-id", () -> () -> workerId);
    }
}
