package io.seriatim.core.settings;

import static org.assertj.core.api.Assertions.assertThat;

import io.seriatim.core.keys.KeyLayout;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a process states, and how each stored field maps to a setting; no Redis needed. */
class StatedSettingsTest {
    @Test
    void everyStoredFieldIsASettingAndEverySettingButTheNameIsStored() {
        assertThat(Arrays.stream(SettingField.values()).map(SettingField::setting))
                .containsExactlyElementsOf(Arrays.stream(NamespaceSettings.class.getRecordComponents())
                        .map(RecordComponent::getName).filter(n -> !n.equals("name")).toList());
    }

    @Test
    void aBuilderStatesExactlyTheSettingsItWasGiven() {
        StatedSettings s = StatedSettings.of(NamespaceSettings.builder("n").dedupWindow(Duration.ofSeconds(5))
                .maxAttempts(2));
        assertThat(s.stated()).containsExactly("maxAttempts", "dedupWindow");
        assertThat(StatedSettings.adopt("n").statesNothing()).isTrue();
        assertThat(StatedSettings.all(NamespaceSettings.builder("n").build()).stated()).hasSize(9);
    }

    @Test
    void withDefaultsStatesEverySettingButAPartitionCountNotGiven() {
        assertThat(StatedSettings.withDefaults(NamespaceSettings.builder("n").maxAttempts(2)).stated())
                .hasSize(8).doesNotContain("partitions").contains("maxAttempts", "dedupWindow");
        assertThat(StatedSettings.withDefaults(NamespaceSettings.builder("n").partitions(6)).stated())
                .hasSize(9).contains("partitions");
    }

    @Test
    void onlyStatedSettingsAreCompared() {
        NamespaceSettings stored = NamespaceSettings.builder("n").maxPayloadBytes(10).maxAttempts(2).build();
        assertThat(StatedSettings.of(NamespaceSettings.builder("n").maxAttempts(2)).conflictWith(stored)).isEmpty();
        assertThat(StatedSettings.adopt("n").conflictWith(stored)).isEmpty();
        assertThat(StatedSettings.all(NamespaceSettings.builder("n").maxAttempts(2).build()).conflictWith(stored)
                .orElseThrow().mismatches())
                .containsExactly(new SettingsConflictException.Mismatch("maxPayloadBytes", "10", "1048576"));
    }

    @Test
    void changesNameEachDifferingSettingInOrder() {
        NamespaceSettings before = NamespaceSettings.builder("n").build();
        assertThat(StoredSettings.changes(before, before)).isEmpty();
        assertThat(StoredSettings.changes(before, NamespaceSettings.builder("n").dedupWindow(Duration.ofMinutes(1))
                .maxAttempts(10).build())).isEqualTo("maxAttempts 5 -> 10, dedupWindow PT10M -> PT1M");
    }

    @Test
    void storedFieldsRoundTrip() {
        NamespaceSettings s = NamespaceSettings.builder("n").partitions(3).maxKeyBytes(7).maxPayloadBytes(8).maxHeaders(0)
                .maxAttempts(4).failurePolicy(FailurePolicy.PARK).fairnessJobs(0).fairnessTime(Duration.ZERO)
                .dedupWindow(Duration.ofMillis(1)).build();
        for (KeyLayout layout : KeyLayout.values()) {
            Map<String, String> hash = new StoredSettings(s, layout, 5, 6).fields();
            assertThat(StoredSettings.decode("n", hash)).isEqualTo(new StoredSettings(s, layout, 5, 6));
        }
    }

    @Test
    void aHashWithoutLayoutIsPlainAsEarlierVersionsWroteIt() {
        NamespaceSettings s = NamespaceSettings.builder("n").partitions(3).build();
        Map<String, String> hash = new StoredSettings(s, KeyLayout.SPREAD, 5, 6).fields();
        assertThat(hash).containsEntry("layout", "SPREAD");
        hash.remove("layout");
        assertThat(StoredSettings.decode("n", hash).layout()).isEqualTo(KeyLayout.PLAIN);
        assertThat(new StoredSettings(s, KeyLayout.PLAIN, 5, 6).fields()).isEqualTo(hash);
    }
}
