package io.seriatim.cli;

import io.seriatim.core.settings.FailurePolicy;
import io.seriatim.core.settings.NamespaceSettings;
import io.seriatim.core.settings.StatedSettings;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The namespace's settings, as flags. They are stored in Redis, so a flag left out means "the
 * stored value" (the default for a namespace that does not exist yet), and a flag given must
 * equal the stored value, or the process is refused: processes never change them; {@code
 * seriatim namespace update} does.
 */
final class NamespaceSettingsOptions {
    @Option(names = "--partitions", paramLabel = "N", description = "partitions of a new namespace; never changes (default 1; on Redis Cluster "
            + NamespaceSettings.PARTITIONS_PER_MASTER + " per master)")
    Integer partitions;

    @Option(names = "--max-key-bytes", paramLabel = "BYTES", description = "longest ordering key (default 1024)")
    Integer maxKeyBytes;

    @Option(names = "--max-payload-bytes", paramLabel = "BYTES", description = "largest payload (default 1048576)")
    Integer maxPayloadBytes;

    @Option(names = "--max-headers", paramLabel = "N", description = "most headers per job (default 64)")
    Integer maxHeaders;

    @Option(names = "--max-attempts", paramLabel = "N", description = "runs a job may have before the failure policy (default 5)")
    Integer maxAttempts;

    @Option(names = "--failure-policy", paramLabel = "POLICY",
            description = "SKIP (dead-letter and go on) or PARK (hold the key) (default SKIP)")
    FailurePolicy policy;

    @Option(names = "--fairness-jobs", paramLabel = "N", description = "jobs a lease may run before the key yields; 0 = no limit (default 1000)")
    Integer fairnessJobs;

    @Option(names = "--fairness-time", paramLabel = "DURATION",
            description = "time a lease may hold a busy key before it yields, ISO-8601; 0 = no limit (default PT1S)")
    Duration fairnessTime;

    @Option(names = "--dedup-window", paramLabel = "DURATION", description = "how long a dedup id is remembered, ISO-8601 (default PT10M)")
    Duration dedupWindow;

    /** A builder with the flags given, and nothing else. */
    NamespaceSettings.Builder builder(String name) {
        NamespaceSettings.Builder b = NamespaceSettings.builder(name);
        if (partitions != null) b.partitions(partitions);
        if (maxKeyBytes != null) b.maxKeyBytes(maxKeyBytes);
        if (maxPayloadBytes != null) b.maxPayloadBytes(maxPayloadBytes);
        if (maxHeaders != null) b.maxHeaders(maxHeaders);
        if (maxAttempts != null) b.maxAttempts(maxAttempts);
        if (policy != null) b.failurePolicy(policy);
        if (fairnessJobs != null) b.fairnessJobs(fairnessJobs);
        if (fairnessTime != null) b.fairnessTime(fairnessTime);
        if (dedupWindow != null) b.dedupWindow(dedupWindow);
        return b;
    }

    boolean anyGiven() {
        return partitions != null || maxKeyBytes != null || maxPayloadBytes != null || maxHeaders != null
                || maxAttempts != null || policy != null || fairnessJobs != null || fairnessTime != null
                || dedupWindow != null;
    }

    /**
     * What {@code namespace create} states: these flags and the defaults of the others, but no
     * partition count unless {@code --partitions} was given (the deployment's default then).
     */
    StatedSettings withDefaults(String name) {
        return StatedSettings.withDefaults(builder(name));
    }

    /** The settings of namespace {@code name} these flags state. */
    StatedSettings stated(String name) {
        return StatedSettings.of(builder(name));
    }
}
