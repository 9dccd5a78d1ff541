package io.seriatim.worker;

import static io.seriatim.core.settings.Check.atLeast;
import static io.seriatim.core.settings.Check.range;

import io.seriatim.core.redis.RedisSettings;
import io.seriatim.core.settings.NamespaceSettings;
import io.seriatim.core.settings.StatedSettings;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;

/**
 * Everything a {@link Worker} needs, immutable and checked: each builder setter rejects a bad
 * value at once (naming the setting, the value and the range) and {@link Builder#build()} checks
 * how settings combine.
 *
 * <pre>{@code
 * WorkerSettings settings = WorkerSettings.builder(
 *                 RedisSettings.of("redis://127.0.0.1:6379"),
 *                 StatedSettings.adopt("comments"))
 *         .concurrency(1000)
 *         .leaseTime(Duration.ofSeconds(30))
 *         .build();
 * }</pre>
 *
 * <p>These are the worker's own settings. The namespace's (attempt limit, failure policy,
 * fairness) are stored in Redis and the worker applies those, following a change within
 * {@link io.seriatim.core.settings.NamespaceRegistry#REFRESH}; {@code namespace} says which
 * namespace, and any of its settings this worker was given, which must match the stored ones or
 * {@link Worker#start} is refused.
 *
 * @param namespace       the namespace served, and the settings of it this worker states
 * @param workerId        names this worker in leases; unique per process (default host-pid-random)
 * @param concurrency     keys held at once (each runs on its own virtual thread); default 256
 * @param batchSize       jobs fetched per claim or ack, and acknowledged together; default 32.
 *                        After a crash, up to this many finished-but-unacknowledged jobs of a key
 *                        run again
 * @param keysPerClaim    most keys one claim call takes; default 64
 * @param leaseTime       how long a lease lasts without renewal; default 30 s
 * @param renewInterval   how often held leases are renewed (one pipelined call); default lease / 3
 * @param jobTimeout      per-job limit; a job past it counts as failed; 0 = none (default)
 * @param backoff         delay before a failed job's key runs again; default exponential 100 ms .. 1 min
 * @param idleWait        longest a worker waits on the doorbell before looking again; default 1 s
 * @param shutdownTimeout how long close() lets running jobs finish before abandoning them; default 10 s
 */
public record WorkerSettings(RedisSettings redis, StatedSettings namespace, String workerId, int concurrency,
        int batchSize, int keysPerClaim, Duration leaseTime, Duration renewInterval, Duration jobTimeout,
        Backoff backoff, Duration idleWait, Duration shutdownTimeout) {

    public WorkerSettings {
        Objects.requireNonNull(redis, "redis");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(backoff, "backoff");
        if (workerId == null || workerId.isBlank() || workerId.length() > 200) {
            throw new IllegalArgumentException("workerId must be 1-200 characters, got '" + workerId + "'");
        }
        range("concurrency", concurrency, 1, 100_000);
        range("batchSize", batchSize, 1, 1000);
        range("keysPerClaim", keysPerClaim, 1, 10_000);
        atLeast("leaseTime", leaseTime, Duration.ofMillis(100));
        atLeast("renewInterval", renewInterval, Duration.ofMillis(10));
        atLeast("idleWait", idleWait, Duration.ofMillis(10));
        atLeast("shutdownTimeout", shutdownTimeout, Duration.ZERO);
        atLeast("jobTimeout", jobTimeout, Duration.ZERO);
        if (renewInterval.compareTo(leaseTime.dividedBy(2)) > 0) {
            throw new IllegalArgumentException("renewInterval (" + renewInterval + ") must be at most half of leaseTime ("
                    + leaseTime + "), or one late renewal loses the lease");
        }
    }

    /** These settings with another Redis address (e.g. the same worker against a failover target). */
    public WorkerSettings withRedis(RedisSettings other) {
        return new WorkerSettings(other, namespace, workerId, concurrency, batchSize, keysPerClaim, leaseTime,
                renewInterval, jobTimeout, backoff, idleWait, shutdownTimeout);
    }

    /** A worker of a namespace, stating {@code namespace}'s settings (see {@link StatedSettings}). */
    public static Builder builder(RedisSettings redis, StatedSettings namespace) {
        return new Builder(redis, namespace);
    }

    /** A worker stating every setting of {@code namespace}: {@code builder(redis, StatedSettings.all(namespace))}. */
    public static Builder builder(RedisSettings redis, NamespaceSettings namespace) {
        return new Builder(redis, StatedSettings.all(Objects.requireNonNull(namespace, "namespace")));
    }

    static String defaultWorkerId() {
        String host = System.getenv().getOrDefault("HOSTNAME", "host");
        return host + "-" + ManagementFactory.getRuntimeMXBean().getPid() + "-"
                + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Builds {@link WorkerSettings}. */
    public static final class Builder {
        private final RedisSettings redis;
        private final StatedSettings namespace;
        private String workerId = defaultWorkerId();
        private int concurrency = 256;
        private int batchSize = 32;
        private int keysPerClaim = 64;
        private Duration leaseTime = Duration.ofSeconds(30);
        private Duration renewInterval;
        private Duration jobTimeout = Duration.ZERO;
        private Backoff backoff = Backoff.exponential(Duration.ofMillis(100), Duration.ofMinutes(1), 0.5);
        private Duration idleWait = Duration.ofSeconds(1);
        private Duration shutdownTimeout = Duration.ofSeconds(10);

        private Builder(RedisSettings redis, StatedSettings namespace) {
            this.redis = Objects.requireNonNull(redis, "redis");
            this.namespace = Objects.requireNonNull(namespace, "namespace");
        }

        public Builder workerId(String workerId) {
            if (workerId == null || workerId.isBlank() || workerId.length() > 200) {
                throw new IllegalArgumentException("workerId must be 1-200 characters, got '" + workerId + "'");
            }
            this.workerId = workerId;
            return this;
        }

        public Builder concurrency(int concurrency) {
            range("concurrency", concurrency, 1, 100_000);
            this.concurrency = concurrency;
            return this;
        }

        public Builder batchSize(int batchSize) {
            range("batchSize", batchSize, 1, 1000);
            this.batchSize = batchSize;
            return this;
        }

        public Builder keysPerClaim(int keysPerClaim) {
            range("keysPerClaim", keysPerClaim, 1, 10_000);
            this.keysPerClaim = keysPerClaim;
            return this;
        }

        public Builder leaseTime(Duration leaseTime) {
            atLeast("leaseTime", leaseTime, Duration.ofMillis(100));
            this.leaseTime = leaseTime;
            return this;
        }

        public Builder renewInterval(Duration renewInterval) {
            atLeast("renewInterval", renewInterval, Duration.ofMillis(10));
            this.renewInterval = renewInterval;
            return this;
        }

        public Builder jobTimeout(Duration jobTimeout) {
            atLeast("jobTimeout", jobTimeout, Duration.ZERO);
            this.jobTimeout = jobTimeout;
            return this;
        }

        public Builder backoff(Backoff backoff) {
            this.backoff = Objects.requireNonNull(backoff, "backoff");
            return this;
        }

        public Builder idleWait(Duration idleWait) {
            atLeast("idleWait", idleWait, Duration.ofMillis(10));
            this.idleWait = idleWait;
            return this;
        }

        public Builder shutdownTimeout(Duration shutdownTimeout) {
            atLeast("shutdownTimeout", shutdownTimeout, Duration.ZERO);
            this.shutdownTimeout = shutdownTimeout;
            return this;
        }

        public WorkerSettings build() {
            Duration renew = renewInterval != null ? renewInterval : leaseTime.dividedBy(3);
            return new WorkerSettings(redis, namespace, workerId, concurrency, batchSize,
                    Math.min(keysPerClaim, concurrency), leaseTime, renew, jobTimeout, backoff, idleWait,
                    shutdownTimeout);
        }
    }
}
