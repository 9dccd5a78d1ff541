package io.seriatim.core.queue;

import io.seriatim.core.keys.KeyLayout;
import io.seriatim.core.keys.NamespaceKeys;
import io.seriatim.core.keys.PartitionKeys;
import io.seriatim.core.redis.ClusterMasters;
import io.seriatim.core.settings.NamespaceSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How one namespace's partitions fall over a Redis Cluster's masters now: which master holds
 * each partition (the master serving its hash tag's slot), and whether every master carries its
 * share. A snapshot; a reshard or a failover changes it.
 *
 * @param namespace  the namespace's name
 * @param layout     its key layout, which the warning names
 * @param partitions its partition count
 * @param shares     one per master, in the cluster's slot order, masters holding none included
 * @param unserved   partitions whose slot no master serves right now (a failover under way)
 */
public record MasterSpread(String namespace, KeyLayout layout, int partitions, List<Share> shares,
        List<Integer> unserved) {

    /** One master's share of the namespace: its address and the partitions it holds. */
    public record Share(String address, List<Integer> partitions) {
        public Share {
            partitions = List.copyOf(partitions);
        }
    }

    /**
     * One master's part of the namespace's gauges, summed over the partitions it holds.
     *
     * @param pendingJobs jobs enqueued there and not yet acked or dead
     */
    public record Load(String address, int partitions, long readyKeys, long leasedKeys, long parkedKeys,
            long pendingJobs) {}

    public MasterSpread {
        shares = List.copyOf(shares);
        unserved = List.copyOf(unserved);
    }

    /** Where {@code keys}' partitions are on {@code masters}. */
    public static MasterSpread of(NamespaceKeys keys, ClusterMasters masters) {
        Map<String, List<Integer>> held = new LinkedHashMap<>();
        masters.masters().forEach(m -> held.put(m.address(), new ArrayList<>()));
        List<Integer> unserved = new ArrayList<>();
        for (PartitionKeys p : keys.partitions()) {
            masters.ofSlot(p.slot()).ifPresentOrElse(m -> held.get(m.address()).add(p.partition()),
                    () -> unserved.add(p.partition()));
        }
        List<Share> shares = new ArrayList<>();
        held.forEach((address, partitions) -> shares.add(new Share(address, partitions)));
        return new MasterSpread(keys.namespace(), keys.layout(), keys.partitionCount(), shares, unserved);
    }

    /**
     * Whether every master carries its share: each holds at least one partition, and no master
     * holds more than one more than another.
     */
    public boolean even() {
        int most = shares.stream().mapToInt(s -> s.partitions().size()).max().orElse(0);
        int least = shares.stream().mapToInt(s -> s.partitions().size()).min().orElse(0);
        return unserved.isEmpty() && least > 0 && most - least <= 1;
    }

    /** One line saying what is uneven and what to do; empty when the spread is {@linkplain #even() even}. */
    public Optional<String> warning() {
        if (even()) {
            return Optional.empty();
        }
        int most = shares.stream().mapToInt(s -> s.partitions().size()).max().orElse(0);
        String each = shares.stream().map(s -> s.address() + " " + s.partitions().size())
                .collect(Collectors.joining(", "));
        String what = partitions < shares.size()
                ? "only " + partitions + " partition" + (partitions == 1 ? "" : "s") + " for the cluster's " + shares.size()
                        + " masters, so some hold none of its keys (" + each + ")"
                : "its " + partitions + " partitions fall unevenly over the cluster's " + shares.size() + " masters ("
                        + each + "; the busiest holds " + Math.round(100.0 * most / partitions) + "%)";
        String unservedText = unserved.isEmpty() ? "" : "; " + unserved.size() + " on slots no master serves now";
        String why = layout == KeyLayout.PLAIN
                ? "partitions and tags are fixed when a namespace is created, and this one has the plain {ns:p} tags "
                        + "of earlier versions"
                : "partitions are fixed when a namespace is created, and slots may have moved since";
        return Optional.of("namespace '" + namespace + "': " + what + unservedText + ": " + why
                + "; create a new namespace without --partitions (" + NamespaceSettings.PARTITIONS_PER_MASTER
                + " per master, spread tags) and move producers to it, or move slots so that each master holds as many "
                + "of its partitions (docs/operations.md#sizing-partitions)");
    }

    /** Each master's part of {@code counts} (one entry per partition, as {@link KeyedQueue#partitionCounts()} answers). */
    public List<Load> load(List<PartitionCounts> counts) {
        List<Load> out = new ArrayList<>();
        for (Share s : shares) {
            long ready = 0;
            long leased = 0;
            long parked = 0;
            long pending = 0;
            for (int p : s.partitions()) {
                PartitionCounts c = counts.get(p);
                ready += c.readyKeys();
                leased += c.leasedKeys();
                parked += c.parkedKeys();
                pending += c.pendingJobs();
            }
            out.add(new Load(s.address(), s.partitions().size(), ready, leased, parked, pending));
        }
        return out;
    }
}
