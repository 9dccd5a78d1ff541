package io.seriatim.worker.internal;

import com.codahale.metrics.MetricRegistry;
import io.seriatim.core.queue.Claim;
import io.seriatim.core.queue.ClaimedKey;
import io.seriatim.core.queue.KeyedQueue;
import io.seriatim.core.queue.LiveQueue;
import io.seriatim.core.redis.RedisSettings;
import io.seriatim.worker.JobHandler;
import io.seriatim.worker.WorkerSettings;
import java.util.BitSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * The worker's engine. Threads and what they own:
 * <ul>
 *   <li>the claimer (one platform thread): claims keys while there are free slots, and waits on
 *       the partitions' doorbell ({@link Doorbell}) when none is due;</li>
 *   <li>on a Cluster, the doorbell's watchers ({@link BellWatchers}, one virtual thread per
 *       partition): each blocks on its partition's bell and wakes the claimer;</li>
 *   <li>one virtual thread per held key ({@link StrandRunner}): that key's jobs, acks and fails;</li>
 *   <li>the ack flushers ({@link AckBatcher}, two platform threads): the strands' waiting acks, gathered into one call;</li>
 *   <li>the renewer (one platform thread): one pipelined renewal of all held leases per interval.</li>
 * </ul>
 * Shared between them: {@link #held} (concurrent map) and {@link #slots} (a semaphore of
 * {@code concurrency} permits: the claimer takes one per key, the strand gives it back).
 * {@link #close()} stops them in order: doorbell (its watchers) and claimer, strands (each
 * finishes its job and releases its key, within the shutdown timeout), ack flushers, renewer.
 */
public final class WorkerRuntime implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WorkerRuntime.class);

    private final WorkerSettings settings;
    private final JobHandler handler;
    /** The namespace with its stored settings, followed as they change; the claimer reads it. */
    private final LiveQueue live;
    /** The queue as opened: for what never changes (partitions, keys) and for renewals, which use no setting. */
    private final KeyedQueue queue;
    private final WorkerMetrics metrics;
    private final Map<String, HeldKey> held = new ConcurrentHashMap<>();
    private final Semaphore slots;
    /**
     * Strands' Redis calls in flight: fewer than the pool's connections, so thousands of
     * strands queue here (fair, virtual-thread friendly) instead of piling into the pool's
     * connection-creation lock, which serialises them badly.
     */
    private final Semaphore redisPermits;
    private final ReentrantLock slotLock = new ReentrantLock();
    private final Condition slotFreed = slotLock.newCondition();
    private final LeaseRenewer renewer;
    private final AckBatcher acks;
    private final Thread claimerThread;
    private final Thread renewerThread;
    private final Doorbell doorbell;
    private volatile boolean claiming = true;

    public WorkerRuntime(WorkerSettings settings, JobHandler handler, UnifiedJedis redis, MetricRegistry registry) {
        if (settings.redis().mode() == RedisSettings.Mode.CLUSTER && !(redis instanceof RedisClusterClient)) {
            throw new IllegalArgumentException("a worker on a Redis Cluster needs a RedisClusterClient (as"
                    + " RedisConnector.connect opens), not a " + redis.getClass().getSimpleName());
        }
        this.settings = settings;
        this.handler = handler;
        this.live = LiveQueue.open(redis, settings.namespace());
        this.queue = live.get();
        this.slots = new Semaphore(settings.concurrency());
        // The claimer, the renewer and the ack flushers hold a connection each besides the strands.
        this.redisPermits = new Semaphore(Math.max(1, settings.redis().poolSize() - 2 - AckBatcher.FLUSHERS), true);
        this.metrics = new WorkerMetrics(registry, settings.namespace().name(), settings.workerId(), held::size);
        this.acks = new AckBatcher(live, settings.leaseTime(), settings.namespace().name(), keys -> {
            metrics.ackCalls.mark();
            metrics.ackedKeys.mark(keys);
        });
        this.renewer = new LeaseRenewer(queue, held.values(), settings.leaseTime(), settings.renewInterval(), metrics);
        this.doorbell = redis instanceof RedisClusterClient cluster
                ? new BellWatchers(settings.redis(), cluster, queue.keys())
                : new BlockingDoorbell(settings.redis(), redis, queue.keys(), settings.idleWait());
        String ns = settings.namespace().name();
        this.claimerThread = Thread.ofPlatform().name("seriatim-claimer-" + ns).daemon().unstarted(this::claimLoop);
        this.renewerThread = Thread.ofPlatform().name("seriatim-renewer-" + ns).daemon().unstarted(renewer);
    }

    public void start() {
        acks.start();
        renewerThread.start();
        doorbell.start();
        claimerThread.start();
        log.info("worker {} serving namespace {} (concurrency {}, batch {}, lease {})", settings.workerId(),
                settings.namespace().name(), settings.concurrency(), settings.batchSize(), settings.leaseTime());
    }

    public int keysHeld() {
        return held.size();
    }

    private void claimLoop() {
        long failureBackoffMs = 100;
        int[] all = IntStream.range(0, queue.partitionCount()).toArray();
        // A round claims every partition, except after bells rang: then only the partitions that
        // rang, until the last full round's wait (the idle wait or a key's due time) is over. After
        // a round, only the partitions that said more keys are due now are claimed again at once:
        // claiming all of a cluster's partitions after each grant cost one empty script call per
        // partition per job at light load. Keys that become due later ring their bell.
        int[] toClaim = all;
        long fullRoundDue = System.nanoTime();
        int rotate = 0;
        // Per partition: when a failed one is asked again, and its current backoff (0: none).
        // One partition's master failing must cost only that partition's keys.
        long[] partitionRetryAt = new long[all.length];
        long[] partitionBackoffMs = new long[all.length];
        while (claiming) {
            try {
                awaitFreeSlot();
                if (!claiming) {
                    break;
                }
                long roundStart = System.nanoTime();
                long waitMs = toClaim == all ? settings.idleWait().toMillis()
                        : Math.max(0, TimeUnit.NANOSECONDS.toMillis(fullRoundDue - roundStart));
                KeyedQueue current = live.get(); // a strand keeps the settings it was claimed with
                BitSet again = new BitSet(); // partitions to claim once more at once
                for (int i = 0; i < toClaim.length && claiming; i++) {
                    int p = toClaim[(rotate + i) % toClaim.length];
                    int free = Math.min(slots.availablePermits(), settings.keysPerClaim());
                    if (free == 0) { // this one and the rest wait for a free slot, not for a bell
                        for (int j = i; j < toClaim.length; j++) {
                            again.set(toClaim[(rotate + j) % toClaim.length]);
                        }
                        break;
                    }
                    long sent = System.nanoTime();
                    if (partitionBackoffMs[p] > 0 && sent - partitionRetryAt[p] < 0) {
                        waitMs = Math.min(waitMs, Math.max(1, (partitionRetryAt[p] - sent) / 1_000_000));
                        continue;
                    }
                    Claim claim;
                    try {
                        claim = current.claim(p, settings.workerId(), free, settings.leaseTime(), settings.batchSize());
                    } catch (RuntimeException e) {
                        partitionBackoffMs[p] = Math.min(Math.max(100, partitionBackoffMs[p] * 2), 5000);
                        partitionRetryAt[p] = System.nanoTime() + partitionBackoffMs[p] * 1_000_000;
                        metrics.redisErrors.mark();
                        log.warn("claiming partition {} failed, retrying it in {} ms: {}", p, partitionBackoffMs[p],
                                e.toString());
                        waitMs = Math.min(waitMs, partitionBackoffMs[p]);
                        continue;
                    }
                    partitionBackoffMs[p] = 0;
                    long offset = claim.redisTimeMs() - System.currentTimeMillis();
                    for (ClaimedKey key : claim.keys()) {
                        startStrand(current, key, sent, offset);
                    }
                    if (claim.nextDueMs() >= 0) {
                        long dueIn = Math.max(0, claim.nextDueMs() - claim.redisTimeMs());
                        if (dueIn == 0 && !claim.keys().isEmpty()) {
                            again.set(p); // claimed at once, not by a full round
                        } else {
                            waitMs = Math.min(waitMs, dueIn);
                        }
                    }
                }
                rotate++;
                failureBackoffMs = 100;
                fullRoundDue = roundStart + TimeUnit.MILLISECONDS.toNanos(waitMs);
                if (!again.isEmpty()) {
                    toClaim = again.stream().toArray();
                } else if (waitMs > 0) {
                    int[] rang = doorbell.await(waitMs);
                    toClaim = rang.length > 0 ? rang : all;
                } else {
                    toClaim = all;
                }
            } catch (RuntimeException e) {
                metrics.redisErrors.mark();
                log.warn("claiming failed, retrying in {} ms: {}", failureBackoffMs, e.toString());
                sleepQuietly(failureBackoffMs);
                failureBackoffMs = Math.min(failureBackoffMs * 2, 5000);
                toClaim = all; // not only the partitions that rang, one of which may be what fails
            }
        }
    }

    private void startStrand(KeyedQueue queue, ClaimedKey key, long sentNanos, long redisClockOffsetMs) {
        slots.acquireUninterruptibly(); // never blocks: only this thread takes permits, and it counted them
        HeldKey h = new HeldKey(key.lease(), sentNanos, settings.leaseTime().toNanos());
        held.put(key.lease().key(), h);
        StrandRunner strand = new StrandRunner(queue, settings, handler, metrics, h, key, redisClockOffsetMs,
                redisPermits, acks);
        Thread.ofVirtual().name("seriatim-key-" + key.lease().key()).start(() -> {
            try {
                strand.run();
            } catch (Throwable e) {
                log.error("strand of key {} died: {}", key.lease().key(), e.toString(), e);
            } finally {
                held.remove(key.lease().key(), h);
                slots.release();
                signalSlot();
            }
        });
    }

    private void awaitFreeSlot() {
        slotLock.lock();
        try {
            while (claiming && slots.availablePermits() == 0) {
                slotFreed.await(settings.idleWait().toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            slotLock.unlock();
        }
    }

    private void signalSlot() {
        slotLock.lock();
        try {
            slotFreed.signalAll();
        } finally {
            slotLock.unlock();
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Graceful stop: no new claims; each held key finishes its current job, acknowledges what ran
     * and is released, within the shutdown timeout; then the renewer stops. Keys still running
     * after the timeout are abandoned: their leases expire and the sweeper hands them on.
     */
    @Override
    public void close() {
        claiming = false;
        signalSlot();
        doorbell.close(); // ends the claimer's wait at once
        join(claimerThread, Math.min(settings.idleWait().toMillis(), 1000) + settings.redis().socketTimeout().toMillis() + 1000);
        held.values().forEach(HeldKey::stop);
        long deadline = System.nanoTime() + settings.shutdownTimeout().toNanos();
        slotLock.lock();
        try {
            while (slots.availablePermits() < settings.concurrency() && System.nanoTime() < deadline) {
                slotFreed.await(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            slotLock.unlock();
        }
        if (!held.isEmpty()) {
            log.warn("worker {} abandoned {} key(s) still running after {}: their leases will expire: {}", settings.workerId(),
                    held.size(), settings.shutdownTimeout(), held.keySet().stream().limit(10).toList());
        }
        acks.close();
        renewer.stop();
        renewerThread.interrupt();
        join(renewerThread, 5000);
        log.info("worker {} stopped", settings.workerId());
    }

    private static void join(Thread t, long ms) {
        try {
            t.join(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
