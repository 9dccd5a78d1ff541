package io.seriatim.cli;

import io.seriatim.core.settings.StatedSettings;
import io.seriatim.worker.Backoff;
import io.seriatim.worker.WorkerSettings;
import java.time.Duration;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Flags of a worker process. */
final class WorkerOptions {
    @Mixin RedisOptions redis;
    @Mixin NamespaceSettingsOptions namespaceSettings;

    @Option(names = {"-n", "--namespace"}, defaultValue = "${env:SERIATIM_NAMESPACE:-default}", description = "namespace (default ${DEFAULT-VALUE})")
    String namespace;

    @Option(names = "--worker-id", description = "name in leases (default: host-pid-random)")
    String workerId;

    @Option(names = "--concurrency", defaultValue = "256", description = "keys held at once (default ${DEFAULT-VALUE})")
    int concurrency;

    @Option(names = "--batch", defaultValue = "32", description = "jobs per claim or ack (default ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--keys-per-claim", defaultValue = "64",
            description = "most keys one claim takes (default ${DEFAULT-VALUE}; never more than --concurrency)")
    int keysPerClaim;

    @Option(names = "--lease", paramLabel = "DURATION", defaultValue = "30s",
            description = "lease time, e.g. 30s, 2m, PT30S (default ${DEFAULT-VALUE})")
    Duration lease;

    @Option(names = "--job-timeout", paramLabel = "DURATION", defaultValue = "0",
            description = "per-job limit, e.g. 10s, 5m; 0 = none (default ${DEFAULT-VALUE})")
    Duration jobTimeout;

    StatedSettings namespaceSettings() {
        return namespaceSettings.stated(namespace);
    }

    WorkerSettings build() {
        WorkerSettings.Builder b = WorkerSettings.builder(redis.settings(), namespaceSettings()).concurrency(concurrency)
                .batchSize(batch).keysPerClaim(keysPerClaim).leaseTime(lease).jobTimeout(jobTimeout)
                .backoff(Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(30), 0.5));
        if (workerId != null) {
            b.workerId(workerId);
        }
        return b.build();
    }
}
