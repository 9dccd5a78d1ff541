package io.seriatim.sweeper;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import io.seriatim.core.queue.QueueCounts;

/**
 * Gauges of one namespace, named {@code seriatim.namespace.<ns>.*}, read from the counts the
 * sweeper took at its last tick (so a metrics scrape never touches Redis). Written by the sweeper
 * thread, read by any thread: the snapshot is one volatile reference.
 */
final class NamespaceGauges {
    private volatile QueueCounts last = QueueCounts.NONE;
    final Meter expiredSwept;
    final Meter delayedPromoted;
    final Meter scheduledFired;
    /** Keys whose broken bookkeeping the repair pass mended. */
    final Meter repaired;

    NamespaceGauges(MetricRegistry registry, String namespace) {
        String p = "seriatim.namespace." + namespace + ".";
        registry.gauge(p + "pending-jobs", () -> () -> last.pendingJobs());
        registry.gauge(p + "ready-keys", () -> () -> last.readyKeys());
        registry.gauge(p + "leased-keys", () -> () -> last.leasedKeys());
        registry.gauge(p + "parked-keys", () -> () -> last.parkedKeys());
        registry.gauge(p + "expired-lease-keys", () -> () -> last.expiredLeaseKeys());
        registry.gauge(p + "stuck-keys", () -> () -> last.stuckKeys());
        registry.gauge(p + "dead-jobs", () -> () -> last.deadJobs());
        registry.gauge(p + "oldest-ready-age-ms", () -> () -> last.oldestReadyAgeMs());
        registry.gauge(p + "delayed-jobs", () -> () -> last.counters().getOrDefault("delayed", 0L));
        registry.gauge(p + "paused", () -> () -> last.paused() ? 1 : 0);
        expiredSwept = registry.meter(p + "expired-leases-swept");
        delayedPromoted = registry.meter(p + "delayed-promoted");
        scheduledFired = registry.meter(p + "scheduled-fired");
        repaired = registry.meter(p + "keys-repaired");
    }

    void update(QueueCounts counts) {
        last = counts;
    }

    QueueCounts last() {
        return last;
    }
}
