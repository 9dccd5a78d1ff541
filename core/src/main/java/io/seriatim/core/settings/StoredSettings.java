package io.seriatim.core.settings;

import io.seriatim.core.keys.KeyLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A namespace's settings as Redis holds them: one hash per namespace (see
 * {@link io.seriatim.core.keys.NamespaceKeys#settings(String)}), a field per setting (durations
 * in milliseconds, as {@code dedupWindowMs}), and when they were recorded and last changed.
 *
 * @param settings    the namespace's settings, which every process applies
 * @param layout      how its partitions are tagged; recorded at registration, never changed. A hash
 *                    without the field (recorded before spread tags) is {@link KeyLayout#PLAIN}, and
 *                    a plain layout is written as that absence, so old hashes read as they are
 * @param createdAtMs when the namespace's settings were first recorded (Redis clock); 0 if they are
 *                    not recorded yet (a namespace an earlier version registered)
 * @param updatedAtMs when they last changed ({@link NamespaceRegistry#update}); the creation time
 *                    until then
 */
public record StoredSettings(NamespaceSettings settings, KeyLayout layout, long createdAtMs, long updatedAtMs) {
    static final String LAYOUT = "layout";
    static final String CREATED_AT = "createdAtMs";
    static final String UPDATED_AT = "updatedAtMs";

    public StoredSettings {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(layout, "layout");
    }

    /** Whether Redis holds these settings; false for a namespace an earlier version registered. */
    public boolean recorded() {
        return createdAtMs > 0;
    }

    /** The settings hash as Redis holds it: setting fields first, then the layout (unless plain), then the two times. */
    public Map<String, String> fields() {
        Map<String, String> out = new LinkedHashMap<>(encode(settings));
        if (layout != KeyLayout.PLAIN) {
            out.put(LAYOUT, layout.name());
        }
        out.put(CREATED_AT, Long.toString(createdAtMs));
        out.put(UPDATED_AT, Long.toString(updatedAtMs));
        return out;
    }

    /**
     * What differs from {@code before} to {@code after}, for a log line or an operator:
     * {@code "maxAttempts 5 -> 10, dedupWindow PT10M -> PT1M"}; empty if nothing does.
     */
    public static String changes(NamespaceSettings before, NamespaceSettings after) {
        List<String> out = new ArrayList<>();
        for (SettingField f : SettingField.values()) {
            if (!f.sameIn(before, after)) {
                out.add(f.setting() + " " + f.text(before) + " -> " + f.text(after));
            }
        }
        return String.join(", ", out);
    }

    /** The setting fields of the hash for {@code settings}, in {@link SettingField} order. */
    static Map<String, String> encode(NamespaceSettings settings) {
        Map<String, String> out = new LinkedHashMap<>();
        for (SettingField f : SettingField.values()) {
            out.put(f.redisField(), f.encode(settings));
        }
        return out;
    }

    /**
     * Reads a settings hash. A field it lacks (a hash recorded by an earlier version) takes the
     * default; a field this version does not know (a later one's) is ignored.
     *
     * @throws IllegalStateException if a stored value is not a valid value of its setting
     */
    static StoredSettings decode(String name, Map<String, String> hash) {
        NamespaceSettings.Builder b = NamespaceSettings.builder(name);
        for (SettingField f : SettingField.values()) {
            String v = hash.get(f.redisField());
            if (v != null) {
                try {
                    f.decode(b, v);
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException("namespace '" + name + "': the settings stored in Redis are invalid: "
                            + e.getMessage());
                }
            }
        }
        return new StoredSettings(b.build(), layout(name, hash.get(LAYOUT)), time(hash.get(CREATED_AT)),
                time(hash.get(UPDATED_AT)));
    }

    private static KeyLayout layout(String name, String v) {
        if (v == null) {
            return KeyLayout.PLAIN;
        }
        for (KeyLayout l : KeyLayout.values()) {
            if (l.name().equals(v)) {
                return l;
            }
        }
        throw new IllegalStateException("namespace '" + name + "': the settings stored in Redis are invalid: layout must "
                + "be one of " + java.util.Arrays.toString(KeyLayout.values()) + ", got '" + v + "'");
    }

    private static long time(String v) {
        return v == null ? 0 : Long.parseLong(v);
    }
}
