package io.seriatim.core.settings;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a process says about its namespace's settings when it starts: the name, and the settings it
 * was explicitly given. A setting it does not state is taken from Redis; a stated one must equal
 * the stored value, or the process is refused with a {@link SettingsConflictException}. When the
 * namespace does not exist yet, it is registered with {@link #values()}. Immutable.
 *
 * <pre>{@code
 * StatedSettings.adopt("comments");                                      // whatever Redis has
 * StatedSettings.of(NamespaceSettings.builder("comments").maxAttempts(3)); // maxAttempts must be 3
 * StatedSettings.all(settings);                                          // every setting must match
 * }</pre>
 */
public final class StatedSettings {
    private final NamespaceSettings values;
    private final Set<SettingField> stated;

    private StatedSettings(NamespaceSettings values, Set<SettingField> stated) {
        this.values = values;
        this.stated = stated;
    }

    /** States nothing: the process uses the stored settings (the defaults if it registers the namespace). */
    public static StatedSettings adopt(String name) {
        return new StatedSettings(NamespaceSettings.builder(name).build(), EnumSet.noneOf(SettingField.class));
    }

    /** States every setting of {@code settings}, defaults included. */
    public static StatedSettings all(NamespaceSettings settings) {
        return new StatedSettings(Objects.requireNonNull(settings, "settings"), EnumSet.allOf(SettingField.class));
    }

    /**
     * What {@code seriatim namespace create} states: every setting, given to {@code builder} or
     * its default, except a partition count the builder was not given. That one is the
     * deployment's default for a new namespace (see {@link NamespaceRegistry}), and whatever is
     * recorded for an existing one.
     */
    public static StatedSettings withDefaults(NamespaceSettings.Builder builder) {
        Set<SettingField> stated = EnumSet.allOf(SettingField.class);
        if (!builder.stated().contains(SettingField.PARTITIONS.setting())) {
            stated.remove(SettingField.PARTITIONS);
        }
        return new StatedSettings(builder.build(), stated);
    }

    /** States the settings whose setter was called on {@code builder}; the others are adopted. */
    public static StatedSettings of(NamespaceSettings.Builder builder) {
        Set<String> given = builder.stated();
        Set<SettingField> stated = EnumSet.noneOf(SettingField.class);
        for (SettingField f : SettingField.values()) {
            if (given.contains(f.setting())) {
                stated.add(f);
            }
        }
        return new StatedSettings(builder.build(), stated);
    }

    public String name() {
        return values.name();
    }

    /**
     * The stated settings and the defaults for the others: what a namespace that does not exist
     * yet gets, but for an unstated partition count, for which the registry asks the deployment.
     */
    public NamespaceSettings values() {
        return values;
    }

    /** The names of the stated settings, in {@link NamespaceSettings}' order. */
    public List<String> stated() {
        return stated.stream().map(SettingField::setting).toList();
    }

    public boolean statesNothing() {
        return stated.isEmpty();
    }

    boolean states(SettingField field) {
        return stated.contains(field);
    }

    /**
     * The conflict between these stated settings and the {@code stored} ones, if any setting
     * differs.
     */
    public Optional<SettingsConflictException> conflictWith(NamespaceSettings stored) {
        if (!stored.name().equals(name())) {
            throw new IllegalArgumentException("settings of namespace '" + stored.name() + "' checked against '"
                    + name() + "'");
        }
        List<SettingsConflictException.Mismatch> differ = new ArrayList<>();
        for (SettingField f : stated) {
            if (!f.sameIn(stored, values)) {
                differ.add(new SettingsConflictException.Mismatch(f.setting(), f.text(stored), f.text(values)));
            }
        }
        return differ.isEmpty() ? Optional.empty() : Optional.of(new SettingsConflictException(name(), differ));
    }

    /**
     * @throws SettingsConflictException if a stated setting differs from the {@code stored} one
     */
    public void check(NamespaceSettings stored) {
        Optional<SettingsConflictException> conflict = conflictWith(stored);
        if (conflict.isPresent()) {
            throw conflict.get();
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StatedSettings other && values.equals(other.values) && stated.equals(other.stated);
    }

    @Override
    public int hashCode() {
        return Objects.hash(values, stated);
    }

    @Override
    public String toString() {
        return "StatedSettings[" + name() + ": " + stated.stream().map(f -> f.setting() + "=" + f.text(values))
                .collect(Collectors.joining(", ")) + "]";
    }
}
