package io.seriatim.cli;

import io.seriatim.core.keys.KeyLayout;
import io.seriatim.core.queue.UnknownNamespaceException;
import io.seriatim.core.settings.NamespaceRegistry;
import io.seriatim.core.settings.NamespaceSettings;
import io.seriatim.core.settings.StoredSettings;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import redis.clients.jedis.UnifiedJedis;

/**
 * {@code seriatim namespace create|show|update}: the namespace's settings, which Redis keeps and
 * every process applies. Errors become exit codes in {@link Seriatim}'s handler: a contradiction,
 * an unknown namespace or a bad value exit 2.
 */
@Command(name = "namespace", mixinStandardHelpOptions = true,
        description = "Create, show or change a namespace's settings, which Redis keeps and every process applies.",
        subcommands = {NamespaceCommand.Create.class, NamespaceCommand.Show.class, NamespaceCommand.Update.class})
final class NamespaceCommand {

    /** Opens Redis for one subcommand and closes it. */
    abstract static class RegistryCommand implements Callable<Integer> {
        @Mixin RedisOptions redis;
        @Mixin NamespaceOption namespace;
        @Spec CommandSpec spec;

        @Option(names = "--json", description = "one JSON object instead of text")
        boolean json;

        @Override
        public final Integer call() {
            try (UnifiedJedis client = redis.connect()) {
                return run(new NamespaceRegistry(client), namespace.name).print(spec.commandLine().getOut(), json);
            }
        }

        abstract Answer run(NamespaceRegistry registry, String name);
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {"Register a namespace with these settings (defaults for the flags left out; without --partitions "
                + "1, or on Redis Cluster " + NamespaceSettings.PARTITIONS_PER_MASTER + " per master).",
                "Exits 0 if it already exists with exactly these settings, 2 if with others."})
    static final class Create extends RegistryCommand {
        @Mixin NamespaceSettingsOptions settings;

        @Override
        Answer run(NamespaceRegistry registry, String name) {
            boolean created = registry.create(settings.withDefaults(name));
            return new Answer().field("namespace", name).field("created", created)
                    .line("%s%s", created ? "created namespace " : "namespace already exists with these settings: ", name);
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a namespace's stored settings.")
    static final class Show extends RegistryCommand {
        @Override
        Answer run(NamespaceRegistry registry, String name) {
            StoredSettings stored = registry.read(name).orElseThrow(() -> new UnknownNamespaceException(name));
            Answer a = new Answer().field("namespace", name);
            stored.fields().forEach((field, value) -> {
                if (!value.isEmpty() && value.chars().allMatch(Character::isDigit)) {
                    a.field(field, Long.parseLong(value));
                } else {
                    a.field(field, value);
                }
            });
            a.field("layout", stored.layout().name()).field("recorded", stored.recorded());
            a.line("%-16s %s", "namespace", name);
            for (Map.Entry<String, String> e : stored.fields().entrySet()) {
                a.line("%-16s %s", e.getKey(), e.getValue());
            }
            if (stored.layout() == KeyLayout.PLAIN) { // stored as the field's absence, as earlier versions wrote it
                a.line("%-16s %s", "layout", "PLAIN ({ns:p} hash tags, as earlier versions named partitions)");
            }
            if (!stored.recorded()) {
                a.line("(not stored yet: registered by an earlier version; these are the defaults, and the first "
                        + "process of this version to open the namespace stores its own)");
            }
            return a;
        }
    }

    @Command(name = "update", mixinStandardHelpOptions = true,
            description = {"Change stored settings (all but --partitions, which never changes).",
                "Running gateways, workers and sweepers apply the change within "
                        + "10 s; a process started with a flag for the old value is refused at its next start."})
    static final class Update extends RegistryCommand {
        @Mixin NamespaceSettingsOptions settings;

        @Override
        Answer run(NamespaceRegistry registry, String name) {
            StoredSettings before = registry.read(name).orElseThrow(() -> new UnknownNamespaceException(name));
            StoredSettings after = registry.update(settings.stated(name));
            String changes = StoredSettings.changes(before.settings(), after.settings());
            return new Answer().field("namespace", name).field("changes", changes).line("%s", changes.isEmpty()
                    ? "namespace " + name + " already had these settings"
                    : "updated namespace " + name + ": " + changes + " (running processes apply it within "
                            + NamespaceRegistry.REFRESH.toSeconds() + " s)");
        }
    }
}
