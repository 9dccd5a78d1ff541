package io.seriatim.core.settings;

import java.time.Duration;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The namespace's stored settings, one constant per field: its name in {@link NamespaceSettings}
 * (and in error messages), its field in the Redis hash, and how its value is written there and
 * read back. Reading goes through {@link NamespaceSettings.Builder}, so a stored value is checked
 * like a given one. Every other class that stores, compares or changes settings loops over these.
 */
enum SettingField {
    PARTITIONS("partitions", "partitions", s -> s.partitions(), (b, v) -> b.partitions(Integer.parseInt(v))),
    MAX_KEY_BYTES("maxKeyBytes", "maxKeyBytes", s -> s.maxKeyBytes(), (b, v) -> b.maxKeyBytes(Integer.parseInt(v))),
    MAX_PAYLOAD_BYTES("maxPayloadBytes", "maxPayloadBytes", s -> s.maxPayloadBytes(),
            (b, v) -> b.maxPayloadBytes(Integer.parseInt(v))),
    MAX_HEADERS("maxHeaders", "maxHeaders", s -> s.maxHeaders(), (b, v) -> b.maxHeaders(Integer.parseInt(v))),
    MAX_ATTEMPTS("maxAttempts", "maxAttempts", s -> s.maxAttempts(), (b, v) -> b.maxAttempts(Integer.parseInt(v))),
    FAILURE_POLICY("failurePolicy", "failurePolicy", s -> s.failurePolicy(),
            (b, v) -> b.failurePolicy(policy(v))),
    FAIRNESS_JOBS("fairnessJobs", "fairnessJobs", s -> s.fairnessJobs(), (b, v) -> b.fairnessJobs(Integer.parseInt(v))),
    // Durations are kept in whole milliseconds, the unit the scripts take.
    FAIRNESS_TIME("fairnessTime", "fairnessTimeMs", s -> s.fairnessTime(),
            (b, v) -> b.fairnessTime(Duration.ofMillis(Long.parseLong(v)))),
    DEDUP_WINDOW("dedupWindow", "dedupWindowMs", s -> s.dedupWindow(),
            (b, v) -> b.dedupWindow(Duration.ofMillis(Long.parseLong(v))));

    private final String setting;
    private final String redisField;
    private final Function<NamespaceSettings, Object> value;
    private final BiConsumer<NamespaceSettings.Builder, String> parse;

    SettingField(String setting, String redisField, Function<NamespaceSettings, Object> value,
            BiConsumer<NamespaceSettings.Builder, String> parse) {
        this.setting = setting;
        this.redisField = redisField;
        this.value = value;
        this.parse = parse;
    }

    /** The name of the setting in {@link NamespaceSettings} and its builder. */
    String setting() {
        return setting;
    }

    /** The field of the namespace's settings hash in Redis. */
    String redisField() {
        return redisField;
    }

    /**
     * Whether {@link NamespaceRegistry#update} may change it. The partition count may not: a job's
     * list is chosen by {@code crc32(key) mod partitions}, so another count would lose strands.
     */
    boolean changeable() {
        return this != PARTITIONS;
    }

    /** The value as the Redis hash holds it. */
    String encode(NamespaceSettings settings) {
        Object v = value.apply(settings);
        return v instanceof Duration d ? Long.toString(d.toMillis()) : v.toString();
    }

    /** The value as a person reads it in an error message (a duration in ISO-8601, as the flags take it). */
    String text(NamespaceSettings settings) {
        return value.apply(settings).toString();
    }

    boolean sameIn(NamespaceSettings a, NamespaceSettings b) {
        return encode(a).equals(encode(b));
    }

    /**
     * Sets the stored value {@code v} on {@code b}, checked by the builder's setter.
     *
     * @throws IllegalArgumentException if {@code v} is not a valid value of this setting
     */
    void decode(NamespaceSettings.Builder b, String v) {
        try {
            parse.accept(b, v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(redisField + " must be a whole number, got '" + v + "'");
        }
    }

    private static FailurePolicy policy(String v) {
        for (FailurePolicy p : FailurePolicy.values()) {
            if (p.name().equals(v)) {
                return p;
            }
        }
        throw new IllegalArgumentException("failurePolicy must be one of "
                + java.util.Arrays.toString(FailurePolicy.values()) + ", got '" + v + "'");
    }
}
