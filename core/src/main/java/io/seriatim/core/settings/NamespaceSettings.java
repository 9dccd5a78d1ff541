package io.seriatim.core.settings;

import static io.seriatim.core.settings.Check.range;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The settings of one namespace (a named keyed queue), shared by every process that serves it:
 * producers and gateways check submits against the limits, workers and sweepers apply the same
 * retry limit and failure policy. Immutable; built with {@link #builder(String)}, where every
 * setter rejects a bad value at once, naming the setting, the value and the allowed range.
 *
 * <pre>{@code
 * NamespaceSettings comments = NamespaceSettings.builder("comments")
 *         .maxAttempts(3)
 *         .failurePolicy(FailurePolicy.PARK)
 *         .build();
 * }</pre>
 */
public record NamespaceSettings(
        String name,
        int partitions,
        int maxKeyBytes,
        int maxPayloadBytes,
        int maxHeaders,
        int maxAttempts,
        FailurePolicy failurePolicy,
        int fairnessJobs,
        Duration fairnessTime,
        Duration dedupWindow) {

    /** Names become part of Redis hash tags: no braces, colons or spaces. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    public static final int MAX_PARTITIONS = 1024;

    /**
     * The partition count of a namespace registered without one on a standalone or Sentinel
     * Redis: one server gains nothing from more.
     */
    public static final int DEFAULT_PARTITIONS = 1;

    /**
     * Partitions per master of a namespace registered without a count on a Redis Cluster (see
     * {@link #clusterDefaultPartitions}). Four, not one: every master gets several keys' worth of
     * parallel claims, and a count of 4 per master divides evenly over more masters later
     * (12 over 2, 4, 6 or 12 of them) when slots are moved partition by partition.
     */
    public static final int PARTITIONS_PER_MASTER = 4;

    /**
     * 512 MiB less 64 KiB: a stored job is its payload plus id, time and headers, and the whole
     * must fit in one Redis argument (proto-max-bulk-len, 512 MiB by default); a payload of the
     * full 512 MiB would pass validation and then fail in Redis on every resend.
     */
    public static final int MAX_PAYLOAD_BYTES = 512 * 1024 * 1024 - 64 * 1024;

    public NamespaceSettings {
        Objects.requireNonNull(failurePolicy, "failurePolicy");
        Objects.requireNonNull(fairnessTime, "fairnessTime");
        Objects.requireNonNull(dedupWindow, "dedupWindow");
        checkName(name);
        range("partitions", partitions, 1, MAX_PARTITIONS);
        range("maxKeyBytes", maxKeyBytes, 1, 64 * 1024);
        range("maxPayloadBytes", maxPayloadBytes, 1, MAX_PAYLOAD_BYTES);
        range("maxHeaders", maxHeaders, 0, 1024);
        range("maxAttempts", maxAttempts, 1, 1_000_000);
        range("fairnessJobs", fairnessJobs, 0, Integer.MAX_VALUE);
        if (fairnessTime.isNegative()) {
            throw new IllegalArgumentException("fairnessTime must be >= 0 (0 = no limit), got " + fairnessTime);
        }
        if (dedupWindow.toMillis() < 1) {
            throw new IllegalArgumentException("dedupWindow must be at least 1 ms, got " + dedupWindow);
        }
    }

    /**
     * The partition count of a namespace registered without one on a Redis Cluster of
     * {@code masters} masters: {@link #PARTITIONS_PER_MASTER} each, at most {@link #MAX_PARTITIONS}.
     */
    public static int clusterDefaultPartitions(int masters) {
        return Math.min(MAX_PARTITIONS, PARTITIONS_PER_MASTER * Math.max(1, masters));
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("namespace name must be 1-64 characters of [A-Za-z0-9_.-], got "
                    + (name == null ? "null" : "'" + name + "'"));
        }
    }

    /** Builds {@link NamespaceSettings}; each setter checks its value, {@link #build()} the whole. */
    public static final class Builder {
        private final String name;
        private int partitions = DEFAULT_PARTITIONS;
        private int maxKeyBytes = 1024;
        private int maxPayloadBytes = 1024 * 1024;
        private int maxHeaders = 64;
        private int maxAttempts = 5;
        private FailurePolicy failurePolicy = FailurePolicy.SKIP;
        private int fairnessJobs = 1000;
        private Duration fairnessTime = Duration.ofSeconds(1);
        private Duration dedupWindow = Duration.ofMinutes(10);
        /** The settings whose setter was called: what {@link StatedSettings#of(Builder)} holds a process to. */
        private final Set<String> stated = new LinkedHashSet<>();

        private Builder(String name) {
            checkName(name);
            this.name = name;
        }

        /**
         * Partitions (hash-tag groups) the namespace's keys are spread over. A new namespace whose
         * process does not state a count ({@link StatedSettings#adopt}, or {@link StatedSettings#of}
         * a builder without this call) gets {@link #DEFAULT_PARTITIONS} on a standalone or Sentinel
         * Redis and {@link #clusterDefaultPartitions} on a Redis Cluster (see
         * {@link NamespaceRegistry}); {@link StatedSettings#all} states the builder's count, 1
         * unless set. Fixed once recorded: opening the namespace with another count fails.
         */
        public Builder partitions(int partitions) {
            range("partitions", partitions, 1, MAX_PARTITIONS);
            this.partitions = partitions;
            stated.add("partitions");
            return this;
        }

        /** Longest ordering key in UTF-8 bytes; default 1024. */
        public Builder maxKeyBytes(int maxKeyBytes) {
            range("maxKeyBytes", maxKeyBytes, 1, 64 * 1024);
            this.maxKeyBytes = maxKeyBytes;
            stated.add("maxKeyBytes");
            return this;
        }

        /** Largest payload in bytes; default 1 MiB, at most {@link #MAX_PAYLOAD_BYTES}. */
        public Builder maxPayloadBytes(int maxPayloadBytes) {
            range("maxPayloadBytes", maxPayloadBytes, 1, MAX_PAYLOAD_BYTES);
            this.maxPayloadBytes = maxPayloadBytes;
            stated.add("maxPayloadBytes");
            return this;
        }

        /** Most headers per job; default 64. */
        public Builder maxHeaders(int maxHeaders) {
            range("maxHeaders", maxHeaders, 0, 1024);
            this.maxHeaders = maxHeaders;
            stated.add("maxHeaders");
            return this;
        }

        /**
         * Runs a job may have (failures and expired leases both count) before the failure policy
         * applies; default 5, 1 means no retry.
         */
        public Builder maxAttempts(int maxAttempts) {
            range("maxAttempts", maxAttempts, 1, 1_000_000);
            this.maxAttempts = maxAttempts;
            stated.add("maxAttempts");
            return this;
        }

        /** What to do with a job out of attempts; default {@link FailurePolicy#SKIP}. */
        public Builder failurePolicy(FailurePolicy failurePolicy) {
            if (failurePolicy == null) {
                throw new IllegalArgumentException("failurePolicy must be one of "
                        + java.util.Arrays.toString(FailurePolicy.values()) + ", got null");
            }
            this.failurePolicy = failurePolicy;
            stated.add("failurePolicy");
            return this;
        }

        /** Jobs one lease may run before the key goes to the back of ready; default 1000, 0 = no limit. */
        public Builder fairnessJobs(int fairnessJobs) {
            range("fairnessJobs", fairnessJobs, 0, Integer.MAX_VALUE);
            this.fairnessJobs = fairnessJobs;
            stated.add("fairnessJobs");
            return this;
        }

        /** Time one lease may hold a busy key before it goes to the back of ready; default 1 s, 0 = no limit. */
        public Builder fairnessTime(Duration fairnessTime) {
            if (fairnessTime == null || fairnessTime.isNegative()) {
                throw new IllegalArgumentException("fairnessTime must be >= 0 (0 = no limit), got " + fairnessTime);
            }
            this.fairnessTime = fairnessTime;
            stated.add("fairnessTime");
            return this;
        }

        /** How long a submit's dedup id is remembered; default 10 minutes, at least 1 ms. */
        public Builder dedupWindow(Duration dedupWindow) {
            if (dedupWindow == null || dedupWindow.toMillis() < 1) {
                throw new IllegalArgumentException("dedupWindow must be at least 1 ms, got " + dedupWindow);
            }
            this.dedupWindow = dedupWindow;
            stated.add("dedupWindow");
            return this;
        }

        /** The names of the settings given to this builder so far. */
        Set<String> stated() {
            return Set.copyOf(stated);
        }

        public NamespaceSettings build() {
            return new NamespaceSettings(name, partitions, maxKeyBytes, maxPayloadBytes, maxHeaders,
                    maxAttempts, failurePolicy, fairnessJobs, fairnessTime, dedupWindow);
        }
    }
}
