package io.seriatim.core.settings;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A process was started with namespace settings that differ from the ones stored in Redis, which
 * are the namespace's: it is refused rather than run with rules the other processes do not apply.
 * The message is one line naming each differing setting, the stored value and the given one.
 * An {@link IllegalArgumentException}, so the {@code seriatim} command reports it as a usage
 * error (exit 2) without a stack trace.
 */
public class SettingsConflictException extends IllegalArgumentException {
    /** One setting that differs: its name, the value in Redis and the value the process was given. */
    public record Mismatch(String setting, String stored, String given) {}

    private final String namespace;
    private final List<Mismatch> mismatches;

    SettingsConflictException(String namespace, List<Mismatch> mismatches) {
        super(message(namespace, mismatches));
        this.namespace = namespace;
        this.mismatches = List.copyOf(mismatches);
    }

    public String namespace() {
        return namespace;
    }

    /** The settings that differ, in {@link NamespaceSettings}' order; never empty. */
    public List<Mismatch> mismatches() {
        return mismatches;
    }

    private static String message(String namespace, List<Mismatch> mismatches) {
        String each = mismatches.stream()
                .map(m -> m.setting() + " is " + m.stored() + " in Redis, this process was given " + m.given())
                .collect(Collectors.joining("; "));
        boolean partitions = mismatches.stream().anyMatch(m -> m.setting().equals("partitions"));
        boolean others = mismatches.stream().anyMatch(m -> !m.setting().equals("partitions"));
        return "namespace '" + namespace + "': " + each
                + (partitions ? " (the partition count of a namespace never changes)" : "")
                + (others ? " (stored settings change only through 'seriatim namespace update'; leave these out to use them)"
                        : "");
    }
}
