package io.seriatim.core.queue;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seriatim.core.redis.RedisSettings;
import io.seriatim.core.settings.NamespaceSettings;
import io.seriatim.core.settings.SettingsConflictException;
import io.seriatim.core.settings.StatedSettings;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad input gets a clear exception, naming what is wrong, and writes nothing to Redis. */
class BadInputTest extends QueueTestSupport {
    private static final String NS = "limits";

    @BeforeEach
    void setUp() {
        open(NamespaceSettings.builder(NS).maxPayloadBytes(1000).maxHeaders(2));
    }

    /** The call throws {@code type} with exactly {@code message}, and not one key of Redis changed. */
    private void refused(Executable call, Class<? extends Throwable> type, String message) {
        assertChangesNothing(() -> assertThatThrownBy(call::execute).isInstanceOf(type).hasMessage(message));
    }

    private void refusedJob(Executable call, String message) {
        refused(call, InvalidJobException.class, message);
    }

    private void accepted(EnqueueRequest request) {
        assertThat(queue.enqueue(request).duplicate()).isFalse();
    }

    private static EnqueueRequest one(String key, byte[] payload) {
        return EnqueueRequest.of(key, payload);
    }

    private static EnqueueRequest withHeaders(Map<String, String> headers) {
        return new EnqueueRequest("k", List.of(new NewJob(new byte[1], headers)), null);
    }

    private static EnqueueRequest withDedup(String dedupId) {
        return new EnqueueRequest("k", List.of(NewJob.of(new byte[1])), dedupId);
    }

    @Test
    void emptyKeyIsRefused() {
        refusedJob(() -> queue.enqueue(one("", new byte[1])), "key must not be empty");
    }

    @Test
    void keyOverTheLimitIsRefused() {
        refusedJob(() -> queue.enqueue(one("k".repeat(1025), new byte[1])),
                "key is 1025 bytes, over the limit of 1024 (namespace limits)");
        refusedJob(() -> queue.enqueue(one("é".repeat(513), new byte[1])),
                "key is 1026 bytes, over the limit of 1024 (namespace limits)");
    }

    @Test
    void keyAtTheLimitIsAccepted() {
        accepted(one("k".repeat(1024), new byte[1]));
        accepted(one("é".repeat(512), new byte[1]));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\nb", "a\rb", "\u0000", "tab\t", "del\u007f", "c1\u0085", "lone\uD800surrogate",
            "\uDC00"})
    void keyWithControlCharactersIsRefused(String key) {
        refusedJob(() -> queue.enqueue(one(key, new byte[1])), "key must not contain control characters");
    }

    @Test
    void keyWithAPairedSurrogateIsAccepted() {
        accepted(one("emoji-\uD83D\uDE00", new byte[1]));
    }

    @Test
    void payloadOverTheLimitIsRefused() {
        refusedJob(() -> queue.enqueue(one("k", new byte[1001])),
                "payload is 1001 bytes, over the limit of 1000 (namespace limits)");
    }

    @Test
    void payloadAtTheLimitIsAccepted() {
        accepted(one("k", new byte[1000]));
        accepted(one("k", new byte[0]));
    }

    @Test
    void tooManyHeadersAreRefused() {
        refusedJob(() -> queue.enqueue(withHeaders(Map.of("a", "1", "b", "2", "c", "3"))),
                "3 headers, over the limit of 2");
        accepted(withHeaders(Map.of("a", "1", "b", "2")));
    }

    @Test
    void emptyHeaderNameIsRefused() {
        refusedJob(() -> queue.enqueue(withHeaders(Map.of("", "1"))), "header names must not be empty");
    }

    @Test
    void zeroOrMoreThan1000JobsPerRequestAreRefused() {
        refusedJob(() -> queue.enqueue(new EnqueueRequest("k", List.of(), null)),
                "a request carries 1 to 1000 jobs, got 0");
        refusedJob(() -> queue.enqueue(new EnqueueRequest("k", Collections.nCopies(1001, NewJob.of(new byte[1])), null)),
                "a request carries 1 to 1000 jobs, got 1001");
        accepted(new EnqueueRequest("k", Collections.nCopies(1000, NewJob.of(new byte[1])), null));
    }

    @Test
    void badDedupIdsAreRefused() {
        for (String bad : List.of("", "d".repeat(257), "a\nb")) {
            refusedJob(() -> queue.enqueue(withDedup(bad)), "dedup id must be 1-256 characters without control characters");
        }
        accepted(withDedup("d".repeat(256)));
    }

    @Test
    void oneBadRequestFailsTheWholeBatchBeforeAnythingIsWritten() {
        refusedJob(() -> queue.enqueueAll(List.of(one("ok", "1".getBytes(UTF_8)), one("", new byte[1]))),
                "key must not be empty");
    }

    @Test
    void everyOperationOnAKeyRefusesABadKey() {
        List<Consumer<String>> byKey = List.of(k -> queue.inspect(k, 1), k -> queue.park(k, "x"), queue::unpark,
                k -> queue.replayDead(k, true, 10), k -> queue.purgeDead(k, 10));
        for (Consumer<String> operation : byKey) {
            refusedJob(() -> operation.accept(""), "key must not be empty");
            refusedJob(() -> operation.accept("a\u0000"), "key must not contain control characters");
            refusedJob(() -> operation.accept("k".repeat(1025)),
                    "key is 1025 bytes, over the limit of 1024 (namespace limits)");
        }
    }

    @Test
    void badWorkerArgumentsAreRefused() {
        Lease lease = new Lease("k", 0, 1, "w", 0);
        refused(() -> queue.claim(0, "w", 0, LONG_LEASE, 1), IllegalArgumentException.class, "maxKeys must be >= 1, got 0");
        refused(() -> queue.claim(0, "w", 1, LONG_LEASE, 0), IllegalArgumentException.class, "batch must be >= 1, got 0");
        refused(() -> queue.sweep(0, 0), IllegalArgumentException.class, "limit must be >= 1, got 0");
        refused(() -> queue.replayDead(null, true, 0), IllegalArgumentException.class, "limit must be >= 1, got 0");
        refused(() -> queue.purgeDead(null, -1), IllegalArgumentException.class, "limit must be >= 1, got -1");
        refused(() -> queue.ack(lease, List.of(), LONG_LEASE, 1, 0), IllegalArgumentException.class,
                "ack needs at least one job id");
    }

    @Test
    void unknownNamespaceIsRefused() {
        refused(() -> KeyedQueue.openExisting(redis.client(), "nope"),
                UnknownNamespaceException.class, "unknown namespace 'nope'");
    }

    @Test
    void existingNamespaceOpensWithItsRecordedPartitions() {
        KeyedQueue.open(redis.client(), NamespaceSettings.builder("four").partitions(4).build());
        assertThat(KeyedQueue.openExisting(redis.client(), "four").partitionCount())
                .isEqualTo(4);
    }

    @Test
    void reopeningANamespaceWithAnotherPartitionCountIsRefused() {
        refused(() -> KeyedQueue.open(redis.client(), StatedSettings.of(NamespaceSettings.builder(NS).partitions(2))),
                SettingsConflictException.class, "namespace 'limits': partitions is 1 in Redis, this process was "
                        + "given 2 (the partition count of a namespace never changes)");
    }

    static Stream<Arguments> badSettings() {
        return Stream.of(
                bad("partitions", b -> b.partitions(0), "partitions must be in [1, 1024], got 0"),
                bad("partitions", b -> b.partitions(1025), "partitions must be in [1, 1024], got 1025"),
                bad("maxKeyBytes", b -> b.maxKeyBytes(0), "maxKeyBytes must be in [1, 65536], got 0"),
                bad("maxKeyBytes", b -> b.maxKeyBytes(65537), "maxKeyBytes must be in [1, 65536], got 65537"),
                bad("maxPayloadBytes", b -> b.maxPayloadBytes(0), "maxPayloadBytes must be in [1, 536805376], got 0"),
                // 512 MiB itself no longer passes: with the id in front it would not fit a Redis argument.
                bad("maxPayloadBytes", b -> b.maxPayloadBytes(536870912),
                        "maxPayloadBytes must be in [1, 536805376], got 536870912"),
                bad("maxHeaders", b -> b.maxHeaders(-1), "maxHeaders must be in [0, 1024], got -1"),
                bad("maxHeaders", b -> b.maxHeaders(1025), "maxHeaders must be in [0, 1024], got 1025"),
                bad("maxAttempts", b -> b.maxAttempts(0), "maxAttempts must be in [1, 1000000], got 0"),
                bad("maxAttempts", b -> b.maxAttempts(1_000_001), "maxAttempts must be in [1, 1000000], got 1000001"),
                bad("fairnessJobs", b -> b.fairnessJobs(-1), "fairnessJobs must be in [0, 2147483647], got -1"),
                bad("fairnessTime", b -> b.fairnessTime(Duration.ofMillis(-1)),
                        "fairnessTime must be >= 0 (0 = no limit), got PT-0.001S"),
                bad("fairnessTime", b -> b.fairnessTime(null), "fairnessTime must be >= 0 (0 = no limit), got null"),
                bad("dedupWindow", b -> b.dedupWindow(Duration.ZERO), "dedupWindow must be at least 1 ms, got PT0S"),
                bad("dedupWindow", b -> b.dedupWindow(Duration.ofNanos(999_999)),
                        "dedupWindow must be at least 1 ms, got PT0.000999999S"),
                bad("dedupWindow", b -> b.dedupWindow(null), "dedupWindow must be at least 1 ms, got null"),
                bad("failurePolicy", b -> b.failurePolicy(null), "failurePolicy must be one of [SKIP, PARK], got null"));
    }

    private static Arguments bad(String setting, Consumer<NamespaceSettings.Builder> set, String message) {
        return Arguments.of(setting, set, message);
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("badSettings")
    void everySettingRefusesABadValueNamingTheSettingTheValueAndTheRange(String setting,
            Consumer<NamespaceSettings.Builder> set, String message) {
        NamespaceSettings.Builder builder = NamespaceSettings.builder("ok");
        refused(() -> set.accept(builder), IllegalArgumentException.class, message);
        assertThat(message).startsWith(setting + " ");
        assertThat(builder.build()).as("the refused value left the builder as it was")
                .isEqualTo(NamespaceSettings.builder("ok").build());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "has space", "{tag}", "a:b", "ünïcode"})
    void badNamespaceNamesAreRefused(String name) {
        refused(() -> NamespaceSettings.builder(name), IllegalArgumentException.class,
                "namespace name must be 1-64 characters of [A-Za-z0-9_.-], got '" + name + "'");
    }

    @Test
    void namespaceNameOverSixtyFourCharactersIsRefused() {
        refused(() -> NamespaceSettings.builder("n".repeat(65)), IllegalArgumentException.class,
                "namespace name must be 1-64 characters of [A-Za-z0-9_.-], got '" + "n".repeat(65) + "'");
        assertThat(NamespaceSettings.builder("n".repeat(64)).build().name()).hasSize(64);
    }

    @Test
    void redisSettingsRefuseBadAddresses() {
        assertThatThrownBy(() -> RedisSettings.of("localhost:6379"))
                .hasMessage("redis address 'localhost:6379' must start with redis://, rediss://, redis-sentinel:// "
                        + "or redis-cluster://");
        assertThatThrownBy(() -> RedisSettings.of("redis://host"))
                .hasMessage("redis address 'redis://host' needs a host and a port, e.g. redis://127.0.0.1:6379");
        assertThatThrownBy(() -> RedisSettings.of("redis-sentinel://h:1"))
                .hasMessageContaining("needs the master name");
        assertThatThrownBy(() -> RedisSettings.builder("redis://h:1").poolSize(0))
                .hasMessage("redis poolSize must be in [1, 10000], got 0");
    }
}
