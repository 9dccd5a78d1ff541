package io.seriatim.core.queue;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seriatim.core.settings.NamespaceSettings;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad input gets a clear exception and writes nothing. */
class BadInputTest extends QueueTestSupport {
    private long keysBefore;

    @BeforeEach
    void setUp() {
        open(NamespaceSettings.builder("limits").maxPayloadBytes(1000).maxHeaders(2));
        keysBefore = redis.client().dbSize();
    }

    private void refused(Executable submit, String message) {
        assertThatThrownBy(submit::execute).isInstanceOf(InvalidJobException.class).hasMessage(message);
        assertThat(redis.client().dbSize()).as("nothing written").isEqualTo(keysBefore);
    }

    private static EnqueueRequest one(String key, byte[] payload) {
        return EnqueueRequest.of(key, payload);
    }

    @Test
    void emptyKeyIsRefused() {
        refused(() -> queue.enqueue(one("", new byte[1])), "key must not be empty");
    }

    @Test
    void keyOverTheLimitIsRefused() {
        refused(() -> queue.enqueue(one("k".repeat(1025), new byte[1])),
                "key is 1025 bytes, over the limit of 1024 (namespace limits)");
    }

    @Test
    void keyWithControlCharactersIsRefused() {
        refused(() -> queue.enqueue(one("a\nb", new byte[1])), "key must not contain control characters");
    }

    @Test
    void payloadOverTheLimitIsRefused() {
        refused(() -> queue.enqueue(one("k", new byte[1001])),
                "payload is 1001 bytes, over the limit of 1000 (namespace limits)");
    }

    @Test
    void tooManyHeadersAreRefused() {
        Map<String, String> headers = new HashMap<>(Map.of("a", "1", "b", "2", "c", "3"));
        refused(() -> queue.enqueue(new EnqueueRequest("k", List.of(new NewJob(new byte[1], headers)), null)),
                "3 headers, over the limit of 2");
    }

    @Test
    void requestsWithoutJobsOrWithTooManyAreRefused() {
        refused(() -> queue.enqueue(new EnqueueRequest("k", List.of(), null)),
                "a request carries 1 to 1000 jobs, got 0");
        refused(() -> queue.enqueue(new EnqueueRequest("k",
                Collections.nCopies(1001, NewJob.of(new byte[1])), null)), "a request carries 1 to 1000 jobs, got 1001");
    }

    @Test
    void oneBadRequestFailsTheWholeBatchBeforeAnythingIsWritten() {
        refused(() -> queue.enqueueAll(List.of(one("ok", "1".getBytes(UTF_8)), one("", new byte[1]))),
                "key must not be empty");
    }

    @Test
    void unknownNamespaceIsRefused() {
        assertThatThrownBy(() -> KeyedQueue.openExisting(redis.client(), NamespaceSettings.builder("nope"), "nope"))
                .isInstanceOf(UnknownNamespaceException.class).hasMessage("unknown namespace 'nope'");
    }

    @Test
    void existingNamespaceOpensWithItsRecordedPartitions() {
        KeyedQueue.open(redis.client(), NamespaceSettings.builder("four").partitions(4).build());
        assertThat(KeyedQueue.openExisting(redis.client(), NamespaceSettings.builder("four"), "four").partitionCount())
                .isEqualTo(4);
    }

    @Test
    void reopeningANamespaceWithAnotherPartitionCountIsRefused() {
        assertThatThrownBy(() -> KeyedQueue.open(redis.client(), NamespaceSettings.builder("limits").partitions(2).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("namespace 'limits' has 1 partitions in Redis, settings say 2: "
                        + "the partition count cannot change once a namespace exists");
    }

    @Test
    void badSettingsNameTheSettingTheValueAndTheRange() {
        NamespaceSettings.Builder b = NamespaceSettings.builder("ok");
        assertThatThrownBy(() -> b.partitions(0)).hasMessage("partitions must be in [1, 1024], got 0");
        assertThatThrownBy(() -> b.partitions(2000)).hasMessage("partitions must be in [1, 1024], got 2000");
        assertThatThrownBy(() -> b.maxKeyBytes(0)).hasMessage("maxKeyBytes must be in [1, 65536], got 0");
        assertThatThrownBy(() -> b.maxPayloadBytes(-1)).hasMessage("maxPayloadBytes must be in [1, 536870912], got -1");
        assertThatThrownBy(() -> b.maxHeaders(-1)).hasMessage("maxHeaders must be in [0, 1024], got -1");
        assertThatThrownBy(() -> b.maxAttempts(0)).hasMessage("maxAttempts must be in [1, 1000000], got 0");
        assertThatThrownBy(() -> b.fairnessJobs(-5)).hasMessage("fairnessJobs must be in [0, 2147483647], got -5");
        assertThatThrownBy(() -> b.fairnessTime(Duration.ofMillis(-1)))
                .hasMessage("fairnessTime must be >= 0 (0 = no limit), got PT-0.001S");
        assertThatThrownBy(() -> b.dedupWindow(Duration.ZERO)).hasMessage("dedupWindow must be at least 1 ms, got PT0S");
        assertThatThrownBy(() -> b.failurePolicy(null)).hasMessage("failurePolicy must be one of [SKIP, PARK], got null");
        assertThatThrownBy(() -> NamespaceSettings.builder("has space"))
                .hasMessage("namespace name must be 1-64 characters of [A-Za-z0-9_.-], got 'has space'");
        assertThatThrownBy(() -> NamespaceSettings.builder("{tag}"))
                .hasMessage("namespace name must be 1-64 characters of [A-Za-z0-9_.-], got '{tag}'");
    }

    @Test
    void badWorkerArgumentsAreRefused() {
        assertThatThrownBy(() -> queue.claim(0, "w", 0, LONG_LEASE, 1)).hasMessage("maxKeys must be >= 1, got 0");
        assertThatThrownBy(() -> queue.claim(0, "w", 1, LONG_LEASE, 0)).hasMessage("batch must be >= 1, got 0");
        assertThatThrownBy(() -> queue.sweep(0, 0)).hasMessage("limit must be >= 1, got 0");
        assertThatThrownBy(() -> queue.ack(new Lease("k", 0, 1, "w", 0), List.of(), LONG_LEASE, 1, 0))
                .hasMessage("ack needs at least one job id");
    }
}
