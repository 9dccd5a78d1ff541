package io.seriatim.core.keys;

/**
 * How a namespace's partitions are named: the hash tag of each partition, which decides its
 * Redis Cluster slot and so the master that holds it. Recorded once, when the namespace is
 * registered (field {@code layout} of its settings hash), and never changed: another tag would
 * leave the namespace's data under names nobody reads.
 */
public enum KeyLayout {
    /**
     * {@code {ns:p}}: the tags of every namespace registered before spread tags (a settings hash
     * without a {@code layout} field). Their slots fall where CRC16 puts them: 12 partitions
     * land 5/5/2 or 8/2/2 on 3 masters.
     */
    PLAIN,
    /**
     * {@code {ns:p:s}}, the suffix {@code s} chosen so that partition {@code p} of {@code P} falls
     * in the middle of the {@code p}-th of {@code P} equal slot ranges ({@link SpreadTags}): on a
     * cluster whose masters hold equal contiguous ranges, as {@code redis-cli --cluster create}
     * makes them, the partitions spread over the masters evenly.
     */
    SPREAD;

    /** The hash tag (without braces) of partition {@code partition} of {@code partitions}. */
    public String tag(String namespace, int partition, int partitions) {
        return switch (this) {
            case PLAIN -> namespace + ":" + partition;
            case SPREAD -> SpreadTags.tag(namespace, partition, partitions);
        };
    }
}
