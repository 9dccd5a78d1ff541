package io.seriatim.cli;

import io.seriatim.core.settings.FailurePolicy;
import io.seriatim.core.settings.NamespaceSettings;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The namespace-wide settings a worker and a sweeper must agree on. */
final class NamespaceSettingsOptions {
    @Option(names = "--max-attempts", defaultValue = "5", description = "runs a job may have before the failure policy (default ${DEFAULT-VALUE})")
    int maxAttempts;

    @Option(names = "--failure-policy", defaultValue = "SKIP", description = "SKIP (dead-letter and go on) or PARK (hold the key) (default ${DEFAULT-VALUE})")
    FailurePolicy policy;

    @Option(names = "--partitions", defaultValue = "1", description = "partitions of a new namespace (default ${DEFAULT-VALUE})")
    int partitions;

    @Option(names = "--fairness-jobs", defaultValue = "1000", description = "jobs a lease may run before the key yields; 0 = no limit (default ${DEFAULT-VALUE})")
    int fairnessJobs;

    NamespaceSettings build(String name) {
        return NamespaceSettings.builder(name).maxAttempts(maxAttempts).failurePolicy(policy).partitions(partitions)
                .fairnessJobs(fairnessJobs).fairnessTime(Duration.ofSeconds(1)).build();
    }
}
