package io.seriatim.worker.internal;

import io.seriatim.core.queue.KeyedQueue;
import io.seriatim.core.queue.Lease;
import io.seriatim.core.queue.Renewal;
import io.seriatim.core.redis.RedisException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews every lease the worker holds with one pipelined call per interval, and marks the keys
 * Redis no longer grants as lost so their strands stop before their next job. A lease whose
 * renewal failed (on Redis Cluster, its master alone may fail) is kept as it is and renewed again
 * at the next interval.
 *
 * <p>Runs on its own platform thread, owned and stopped by {@link WorkerRuntime}.
 */
final class LeaseRenewer implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(LeaseRenewer.class);

    private final KeyedQueue queue;
    private final Collection<HeldKey> heldKeys;
    private final Duration leaseTime;
    private final Duration interval;
    private final WorkerMetrics metrics;
    private volatile boolean running = true;

    LeaseRenewer(KeyedQueue queue, Collection<HeldKey> heldKeys, Duration leaseTime, Duration interval,
            WorkerMetrics metrics) {
        this.queue = queue;
        this.heldKeys = heldKeys;
        this.leaseTime = leaseTime;
        this.interval = interval;
        this.metrics = metrics;
    }

    void stop() {
        running = false;
    }

    @Override
    public void run() {
        while (running) {
            try {
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                return;
            }
            renewOnce();
        }
    }

    void renewOnce() {
        Map<String, HeldKey> byKey = new HashMap<>();
        List<Lease> leases = new ArrayList<>();
        for (HeldKey held : heldKeys) {
            if (!held.isLost()) {
                byKey.put(held.lease().key(), held);
                leases.add(held.lease());
            }
        }
        if (leases.isEmpty()) {
            return;
        }
        long sent = System.nanoTime();
        Renewal renewal;
        try {
            renewal = queue.renew(leases, leaseTime);
        } catch (RuntimeException e) {
            metrics.redisErrors.mark();
            log.warn("lease renewal failed, will retry in {}: {}", interval, e.toString());
            return;
        }
        for (Lease l : renewal.renewed()) {
            byKey.get(l.key()).extended(l, sent, leaseTime.toNanos());
        }
        for (Lease l : renewal.stale()) {
            HeldKey held = byKey.get(l.key());
            held.lost(); // harmless for a strand that ended meanwhile
            if (held.isEnding()) {
                // Its strand's own ack, fail or release ended the lease before this renewal
                // applied: a normal end, not a lost lease. (Had the call continued the lease,
                // the renewal, applied before or after it, would have found the lease held.)
                continue;
            }
            metrics.stale.mark();
            log.info("key {} lost its lease (fence {}): stopping it", l.key(), l.fence());
        }
        if (!renewal.failed().isEmpty()) {
            // Their master failed: each keeps the lease it has (its strand stops by itself when
            // that runs out) and is renewed again next interval.
            metrics.redisErrors.mark();
            RedisException first = renewal.failed().values().iterator().next();
            log.warn("renewal of {} of {} leases failed, will retry in {}: {}", renewal.failed().size(), leases.size(),
                    interval, first.toString());
        }
    }
}
