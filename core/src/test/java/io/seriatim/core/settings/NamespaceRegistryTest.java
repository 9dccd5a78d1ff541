package io.seriatim.core.settings;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seriatim.core.keys.KeyLayout;
import io.seriatim.core.keys.NamespaceKeys;
import io.seriatim.core.queue.UnknownNamespaceException;
import io.seriatim.core.redis.RedisScriptException;
import io.seriatim.core.script.Script;
import io.seriatim.core.script.ScriptRunner;
import io.seriatim.testkit.RedisExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.util.JedisClusterCRC16;

/** Namespace settings stored in Redis: recorded once, authoritative, changed only by update. */
class NamespaceRegistryTest {
    @RegisterExtension
    static final RedisExtension redis = new RedisExtension();

    NamespaceRegistry registry() {
        return new NamespaceRegistry(redis.client());
    }

    Map<String, String> hash(String name) {
        return redis.client().hgetAll(NamespaceKeys.settings(name));
    }

    @SuppressWarnings("deprecation") // Jedis 8 deprecates sendCommand and has no typed call for this command
    long redisNowMs() {
        List<?> t = (List<?>) redis.client().sendCommand(Protocol.Command.TIME);
        return Long.parseLong(new String((byte[]) t.get(0), UTF_8)) * 1000
                + Long.parseLong(new String((byte[]) t.get(1), UTF_8)) / 1000;
    }

    static NamespaceSettings.Builder comments() {
        return NamespaceSettings.builder("comments");
    }

    @Test
    void registeringStoresEverySettingWithRedisTime() {
        long before = redisNowMs();
        registry().open(StatedSettings.of(comments().partitions(2).maxPayloadBytes(4096).maxAttempts(3)
                .failurePolicy(FailurePolicy.PARK).dedupWindow(Duration.ofMinutes(5))));
        Map<String, String> h = hash("comments");
        assertThat(h).containsOnlyKeys("partitions", "maxKeyBytes", "maxPayloadBytes", "maxHeaders", "maxAttempts",
                "failurePolicy", "fairnessJobs", "fairnessTimeMs", "dedupWindowMs", "layout", "createdAtMs", "updatedAtMs");
        assertThat(h).containsEntry("partitions", "2").containsEntry("layout", "SPREAD").containsEntry("maxPayloadBytes", "4096")
                .containsEntry("maxAttempts", "3").containsEntry("failurePolicy", "PARK")
                .containsEntry("dedupWindowMs", "300000").containsEntry("maxKeyBytes", "1024")
                .containsEntry("fairnessTimeMs", "1000");
        assertThat(Long.parseLong(h.get("createdAtMs"))).isBetween(before, redisNowMs());
        assertThat(h.get("updatedAtMs")).isEqualTo(h.get("createdAtMs"));
        assertThat(redis.client().hget(NamespaceKeys.REGISTRY, "comments")).isEqualTo("2");
    }

    @Test
    void theSettingsHashSharesTheRegistrysClusterSlot() {
        assertThat(JedisClusterCRC16.getSlot(NamespaceKeys.settings("comments")))
                .isEqualTo(JedisClusterCRC16.getSlot(NamespaceKeys.REGISTRY));
    }

    @Test
    void aProcessThatStatesNothingAdoptsTheStoredSettings() {
        NamespaceSettings created = comments().partitions(4).maxPayloadBytes(4096).maxAttempts(9).build();
        assertThat(registry().create(created)).isTrue();
        assertThat(registry().open(StatedSettings.adopt("comments"))).isEqualTo(created);
    }

    @Test
    void aProcessThatStatesSomeSettingsAdoptsTheOthers() {
        NamespaceSettings created = comments().maxPayloadBytes(4096).maxAttempts(9).build();
        registry().create(created);
        assertThat(registry().open(StatedSettings.of(comments().maxAttempts(9)))).isEqualTo(created);
    }

    @Test
    void aStatedSettingThatDiffersIsRefusedNamingItTheStoredAndTheGivenValue() {
        registry().create(comments().maxAttempts(5).build());
        assertThatThrownBy(() -> registry().open(StatedSettings.of(comments().maxAttempts(3))))
                .isInstanceOf(SettingsConflictException.class)
                .hasMessage("namespace 'comments': maxAttempts is 5 in Redis, this process was given 3 (stored settings "
                        + "change only through 'seriatim namespace update'; leave these out to use them)");
    }

    @Test
    void everyDifferingSettingIsNamedOnOneLine() {
        registry().create(comments().failurePolicy(FailurePolicy.PARK).build());
        SettingsConflictException e = (SettingsConflictException) org.assertj.core.api.Assertions.catchThrowable(
                () -> registry().open(StatedSettings.all(comments().maxAttempts(3).dedupWindow(Duration.ofSeconds(30)).build())));
        assertThat(e.mismatches()).containsExactly(
                new SettingsConflictException.Mismatch("maxAttempts", "5", "3"),
                new SettingsConflictException.Mismatch("failurePolicy", "PARK", "SKIP"),
                new SettingsConflictException.Mismatch("dedupWindow", "PT10M", "PT30S"));
        assertThat(e.getMessage()).doesNotContain("\n");
    }

    @Test
    void aRefusedProcessWritesNothing() {
        registry().create(comments().build());
        Map<String, String> before = hash("comments");
        assertThatThrownBy(() -> registry().open(StatedSettings.of(comments().maxHeaders(3))))
                .isInstanceOf(SettingsConflictException.class);
        assertThat(hash("comments")).isEqualTo(before);
    }

    @Test
    void createIsIdempotentForTheSameSettingsAndRefusesOthers() {
        assertThat(registry().create(comments().maxAttempts(2).build())).isTrue();
        assertThat(registry().create(comments().maxAttempts(2).build())).isFalse();
        assertThatThrownBy(() -> registry().create(comments().build()))
                .isInstanceOf(SettingsConflictException.class)
                .hasMessageStartingWith("namespace 'comments': maxAttempts is 2 in Redis, this process was given 5");
    }

    @Test
    void updateChangesTheStatedSettingsOnlyAndStampsTheChange() throws InterruptedException {
        registry().create(comments().maxAttempts(2).maxPayloadBytes(4096).build());
        long created = Long.parseLong(hash("comments").get("createdAtMs"));
        Thread.sleep(2); // so that the update's Redis time is later
        StoredSettings after = registry().update(StatedSettings.of(comments().maxAttempts(7)
                .fairnessTime(Duration.ofMillis(250))));
        assertThat(after.settings()).isEqualTo(comments().maxAttempts(7).maxPayloadBytes(4096)
                .fairnessTime(Duration.ofMillis(250)).build());
        assertThat(after.createdAtMs()).isEqualTo(created);
        assertThat(after.updatedAtMs()).isGreaterThan(created);
        assertThat(registry().read("comments")).contains(after);
    }

    @Test
    void updateRefusesAnotherPartitionCountAndWritesNothing() {
        registry().create(comments().partitions(2).build());
        Map<String, String> before = hash("comments");
        assertThatThrownBy(() -> registry().update(StatedSettings.of(comments().partitions(3).maxAttempts(9))))
                .isInstanceOf(SettingsConflictException.class)
                .hasMessage("namespace 'comments': partitions is 2 in Redis, this process was given 3 "
                        + "(the partition count of a namespace never changes)");
        assertThat(hash("comments")).isEqualTo(before);
        assertThat(registry().update(StatedSettings.of(comments().partitions(2))).settings().partitions()).isEqualTo(2);
    }

    @Test
    void updateScriptRefusesThePartitionCountItself() {
        registry().create(comments().build());
        Map<String, String> before = hash("comments");
        ScriptRunner scripts = new ScriptRunner(redis.client());
        assertThatThrownBy(() -> scripts.run(Script.UPDATE_NAMESPACE, List.of(bytes(NamespaceKeys.settings("comments"))),
                List.of(bytes("maxAttempts"), bytes("9"), bytes("partitions"), bytes("8"))))
                .isInstanceOf(RedisScriptException.class)
                .hasMessage("Redis error while running update_namespace.lua: update_namespace: partitions cannot be changed");
        assertThat(hash("comments")).isEqualTo(before);
    }

    @Test
    void updateNeedsAChangeAndAnExistingNamespace() {
        assertThatThrownBy(() -> registry().update(StatedSettings.adopt("comments")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("namespace 'comments': nothing to update, give at least one setting");
        assertThatThrownBy(() -> registry().update(StatedSettings.of(comments().maxAttempts(2))))
                .isInstanceOf(UnknownNamespaceException.class).hasMessage("unknown namespace 'comments'");
        assertThat(hash("comments")).isEmpty();
        assertThat(registry().read("comments")).isEmpty();
    }

    @Test
    void aNamespaceAnEarlierVersionRegisteredGetsItsSettingsFromItsFirstOpener() {
        redis.client().hset(NamespaceKeys.REGISTRY, "comments", "4"); // what register_namespace used to write
        assertThat(registry().read("comments").orElseThrow())
                .isEqualTo(new StoredSettings(comments().partitions(4).build(), KeyLayout.PLAIN, 0, 0));
        assertThatThrownBy(() -> registry().update(StatedSettings.of(comments().maxAttempts(2))))
                .hasMessageStartingWith("namespace 'comments' was registered by an earlier version");
        NamespaceSettings opened = registry().open(StatedSettings.of(comments().maxAttempts(8)));
        assertThat(opened).isEqualTo(comments().partitions(4).maxAttempts(8).build());
        assertThat(registry().read("comments").orElseThrow().recorded()).isTrue();
        assertThat(registry().read("comments").orElseThrow().layout()).as("its data is under the plain tags")
                .isEqualTo(KeyLayout.PLAIN);
        assertThat(hash("comments")).doesNotContainKey("layout");
    }

    @Test
    void aNamespaceOnStandaloneRedisGetsOnePartitionUnlessGivenMore() {
        assertThat(registry().open(StatedSettings.adopt("comments")).partitions())
                .isEqualTo(NamespaceSettings.DEFAULT_PARTITIONS).isEqualTo(1);
        assertThat(registry().create(StatedSettings.withDefaults(NamespaceSettings.builder("other")))).isTrue();
        assertThat(registry().read("other").orElseThrow().settings().partitions()).isEqualTo(1);
    }

    @Test
    void createWithDefaultsAcceptsTheRecordedPartitionCountButNoOtherDifference() {
        registry().create(comments().partitions(6).build());
        assertThat(registry().create(StatedSettings.withDefaults(comments()))).isFalse();
        assertThatThrownBy(() -> registry().create(StatedSettings.withDefaults(comments().partitions(2))))
                .isInstanceOf(SettingsConflictException.class);
        assertThatThrownBy(() -> registry().create(StatedSettings.withDefaults(comments().maxAttempts(9))))
                .isInstanceOf(SettingsConflictException.class);
    }

    @Test
    void theLayoutCannotBeUpdated() {
        registry().create(comments().build());
        ScriptRunner scripts = new ScriptRunner(redis.client());
        assertThatThrownBy(() -> scripts.run(Script.UPDATE_NAMESPACE, List.of(bytes(NamespaceKeys.settings("comments"))),
                List.of(bytes("layout"), bytes("PLAIN")))).hasMessageContaining("layout cannot be changed");
        assertThat(registry().read("comments").orElseThrow().layout()).isEqualTo(KeyLayout.SPREAD);
    }

    @Test
    void aNamespaceAnEarlierVersionRegisteredRefusesAnotherPartitionCountWithoutWriting() {
        redis.client().hset(NamespaceKeys.REGISTRY, "comments", "4");
        assertThatThrownBy(() -> registry().open(StatedSettings.of(comments().partitions(2))))
                .isInstanceOf(SettingsConflictException.class)
                .hasMessageStartingWith("namespace 'comments': partitions is 4 in Redis, this process was given 2");
        assertThat(hash("comments")).isEmpty();
    }

    @Test
    void aStoredValueIsCheckedWhenRead() {
        registry().create(comments().build());
        redis.client().hset(NamespaceKeys.settings("comments"), "maxAttempts", "0");
        assertThatThrownBy(() -> registry().read("comments"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("namespace 'comments': the settings stored in Redis are invalid: "
                        + "maxAttempts must be in [1, 1000000], got 0");
        redis.client().hset(NamespaceKeys.settings("comments"), "maxAttempts", "x");
        assertThatThrownBy(() -> registry().read("comments"))
                .hasMessage("namespace 'comments': the settings stored in Redis are invalid: "
                        + "maxAttempts must be a whole number, got 'x'");
        redis.client().hset(NamespaceKeys.settings("comments"), "maxAttempts", "5");
        redis.client().hset(NamespaceKeys.settings("comments"), "failurePolicy", "RETRY");
        assertThatThrownBy(() -> registry().read("comments"))
                .hasMessage("namespace 'comments': the settings stored in Redis are invalid: "
                        + "failurePolicy must be one of [SKIP, PARK], got 'RETRY'");
    }

    @Test
    void aFieldAnEarlierVersionDidNotStoreReadsAsItsDefaultAndAnUnknownOneIsIgnored() {
        registry().create(comments().maxHeaders(3).build());
        redis.client().hdel(NamespaceKeys.settings("comments"), "dedupWindowMs");
        redis.client().hset(NamespaceKeys.settings("comments"), "fromALaterVersion", "1");
        assertThat(registry().read("comments").orElseThrow().settings()).isEqualTo(comments().maxHeaders(3).build());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }
}
