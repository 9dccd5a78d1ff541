package io.seriatim.core.keys;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;
import java.util.zip.CRC32;

/**
 * The Redis key layout of one namespace: its partitions, their hash tags ({@link KeyLayout}) and
 * which partition an ordering key belongs to. {@code partition = crc32(utf8(key)) mod P}, fixed
 * for the namespace's life (recorded in {@link #REGISTRY}), so a key's jobs always land in one
 * list.
 */
public final class NamespaceKeys {
    /** Hash of every namespace ever used: name to partition count. Outside any partition. */
    public static final String REGISTRY = "seriatim:namespaces";

    /**
     * The hash of one namespace's stored settings. Its hash tag is the registry's whole name, so
     * it shares the registry's Cluster slot and one script can write both.
     */
    public static String settings(String namespace) {
        return "{" + REGISTRY + "}:settings:" + namespace;
    }

    private final String namespace;
    private final KeyLayout layout;
    private final List<PartitionKeys> partitions;

    /** The keys of {@code namespace}'s {@code partitionCount} partitions, tagged as {@code layout} says. */
    public NamespaceKeys(String namespace, int partitionCount, KeyLayout layout) {
        this.namespace = namespace;
        this.layout = layout;
        this.partitions = IntStream.range(0, partitionCount)
                .mapToObj(p -> new PartitionKeys(namespace, p, layout.tag(namespace, p, partitionCount)))
                .toList();
    }

    public String namespace() { return namespace; }

    public KeyLayout layout() { return layout; }

    public int partitionCount() { return partitions.size(); }

    public List<PartitionKeys> partitions() { return partitions; }

    public PartitionKeys partition(int p) { return partitions.get(p); }

    public PartitionKeys partitionOf(String key) { return partitions.get(partitionIndex(key)); }

    public int partitionIndex(String key) {
        if (partitions.size() == 1) {
            return 0;
        }
        CRC32 crc = new CRC32();
        crc.update(key.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % partitions.size());
    }
}
