package io.seriatim.core.settings;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.seriatim.core.keys.KeyLayout;
import io.seriatim.core.keys.NamespaceKeys;
import io.seriatim.core.queue.UnknownNamespaceException;
import io.seriatim.core.redis.ClusterMasters;
import io.seriatim.core.redis.RedisErrors;
import io.seriatim.core.script.Reply;
import io.seriatim.core.script.Script;
import io.seriatim.core.script.ScriptRunner;
import io.seriatim.core.script.ScriptStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import redis.clients.jedis.UnifiedJedis;

/**
 * The namespaces of one Redis and their settings, which Redis keeps and which are authoritative:
 * a namespace's limits, dedup window, attempt limit, failure policy and fairness are recorded
 * when it is registered and changed only by {@link #update}; every process applies the stored
 * ones, whatever it was started with. A process's own settings ({@code WorkerSettings},
 * {@code GatewaySettings}, {@code SweeperSettings}) are not stored.
 *
 * <p>A namespace registered without a stated partition count gets the deployment's default:
 * {@link NamespaceSettings#clusterDefaultPartitions} through a Cluster client (from the number of
 * masters it has now), {@link NamespaceSettings#DEFAULT_PARTITIONS} otherwise. Every new
 * namespace gets {@link KeyLayout#SPREAD} tags; one registered before them keeps its
 * {@link KeyLayout#PLAIN} ones.
 *
 * <p>A process states what it was given ({@link StatedSettings}): a stated setting that differs
 * from the stored one refuses the process ({@link SettingsConflictException}), an unstated one is
 * taken from Redis. Long-running processes read the stored settings again every {@link #REFRESH}
 * and follow a change.
 *
 * <p>Thread-safe; does not own the Redis client.
 */
public final class NamespaceRegistry {
    /**
     * How often a running gateway, worker or sweeper reads its namespaces' settings again: a
     * {@link #update} reaches every process within this time, without a restart. One small HGETALL
     * per namespace and process each time.
     */
    public static final Duration REFRESH = Duration.ofSeconds(10);

    private final UnifiedJedis redis;
    private final ScriptRunner scripts;

    public NamespaceRegistry(UnifiedJedis redis) {
        this.redis = redis;
        this.scripts = new ScriptRunner(redis);
    }

    /**
     * Opens a namespace for a process started with {@code stated}: registers it with
     * {@code stated.values()} if it does not exist, else checks the stated settings against the
     * stored ones.
     *
     * @return the stored settings: the ones the process must apply
     * @throws SettingsConflictException if a stated setting differs from the stored one
     */
    public NamespaceSettings open(StatedSettings stated) {
        return openStored(stated).settings();
    }

    /** As {@link #open}, answering everything stored: the settings, the key layout and the times. */
    public StoredSettings openStored(StatedSettings stated) {
        return register(stated).stored();
    }

    /**
     * Registers a namespace with exactly {@code settings}.
     *
     * @return true if it was registered now, false if it already existed with these settings
     * @throws SettingsConflictException if it exists with other settings
     */
    public boolean create(NamespaceSettings settings) {
        return create(StatedSettings.all(settings));
    }

    /**
     * Registers a namespace with {@code stated.values()}, the partition count the deployment's
     * default unless stated.
     *
     * @return true if it was registered now, false if it already existed with the stated settings
     * @throws SettingsConflictException if it exists with another value of a stated setting
     */
    public boolean create(StatedSettings stated) {
        return register(stated).created();
    }

    /**
     * The stored settings of {@code name}; empty if it was never registered. A namespace that an
     * earlier version registered without settings reads as the defaults with its partition count,
     * not {@linkplain StoredSettings#recorded() recorded}: the next process to open it records them.
     */
    public Optional<StoredSettings> read(String name) {
        NamespaceSettings.checkName(name);
        Map<String, String> hash = RedisErrors.call("looking up namespace '" + name + "'",
                () -> redis.hgetAll(NamespaceKeys.settings(name)));
        if (!hash.isEmpty()) {
            return Optional.of(StoredSettings.decode(name, hash));
        }
        String partitions = RedisErrors.call("looking up namespace '" + name + "'",
                () -> redis.hget(NamespaceKeys.REGISTRY, name));
        return partitions == null ? Optional.empty() : Optional.of(new StoredSettings(
                NamespaceSettings.builder(name).partitions(Integer.parseInt(partitions)).build(), KeyLayout.PLAIN, 0, 0));
    }

    /**
     * Changes the stored settings of a namespace to the ones {@code changes} states; running
     * processes follow within {@link #REFRESH}.
     *
     * @return the stored settings after the change
     * @throws IllegalArgumentException if {@code changes} states nothing
     * @throws SettingsConflictException if it states another partition count (which never changes)
     * @throws UnknownNamespaceException if the namespace does not exist
     */
    public StoredSettings update(StatedSettings changes) {
        String name = changes.name();
        if (changes.statesNothing()) {
            throw new IllegalArgumentException("namespace '" + name + "': nothing to update, give at least one setting");
        }
        List<byte[]> args = new ArrayList<>();
        for (SettingField f : SettingField.values()) {
            if (changes.states(f) && f.changeable()) {
                args.add(bytes(f.redisField()));
                args.add(bytes(f.encode(changes.values())));
            }
        }
        if (changes.states(SettingField.PARTITIONS)) {
            StoredSettings current = read(name).orElseThrow(() -> new UnknownNamespaceException(name));
            StatedSettings.of(NamespaceSettings.builder(name).partitions(changes.values().partitions()))
                    .check(current.settings());
        }
        if (args.isEmpty()) { // only the partition count, and the same one
            return read(name).orElseThrow(() -> new UnknownNamespaceException(name));
        }
        Reply r = scripts.run(Script.UPDATE_NAMESPACE, List.of(bytes(NamespaceKeys.settings(name))), args);
        if (r.status(0) == ScriptStatus.NOT_FOUND) {
            if (read(name).isEmpty()) {
                throw new UnknownNamespaceException(name);
            }
            throw new IllegalArgumentException("namespace '" + name + "' was registered by an earlier version and has "
                    + "no stored settings yet: any process of this version records them when it opens the namespace, "
                    + "or 'seriatim namespace create' with its settings does");
        }
        return StoredSettings.decode(name, hash(r, 1));
    }

    /** What registering answered: the stored settings, and whether this call recorded them. */
    private record Registered(StoredSettings stored, boolean created) {}

    private Registered register(StatedSettings stated) {
        NamespaceSettings given = stated.values();
        String name = given.name();
        boolean insist = stated.states(SettingField.PARTITIONS);
        List<byte[]> args = new ArrayList<>();
        args.add(bytes(name));
        args.add(bytes(Integer.toString(insist ? given.partitions() : defaultPartitions())));
        args.add(bytes(insist ? "1" : "0"));
        args.add(bytes(KeyLayout.SPREAD.name()));
        for (SettingField f : SettingField.values()) {
            if (f != SettingField.PARTITIONS) {
                args.add(bytes(f.redisField()));
                args.add(bytes(f.encode(given)));
            }
        }
        Reply r = scripts.run(Script.REGISTER_NAMESPACE,
                List.of(bytes(NamespaceKeys.REGISTRY), bytes(NamespaceKeys.settings(name))), args);
        boolean created = r.flag(0);
        if (r.size() == 2) { // registered by an earlier version with another partition count: nothing written
            throw new SettingsConflictException(name, List.of(new SettingsConflictException.Mismatch(
                    SettingField.PARTITIONS.setting(), Long.toString(r.integer(1)), Integer.toString(given.partitions()))));
        }
        StoredSettings stored = StoredSettings.decode(name, hash(r, 2));
        stated.check(stored.settings());
        return new Registered(stored, created);
    }

    /** The partition count of a namespace registered without one, for the deployment at hand. */
    private int defaultPartitions() {
        return ClusterMasters.read(redis)
                .map(c -> NamespaceSettings.clusterDefaultPartitions(c.masters().size()))
                .orElse(NamespaceSettings.DEFAULT_PARTITIONS);
    }

    /** The field, value, ... pairs of a reply from index {@code from} on. */
    private static Map<String, String> hash(Reply reply, int from) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = from; i + 1 < reply.size(); i += 2) {
            out.put(reply.text(i), reply.text(i + 1));
        }
        return out;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }
}
