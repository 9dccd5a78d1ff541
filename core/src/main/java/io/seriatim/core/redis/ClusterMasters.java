package io.seriatim.core.redis;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPool;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The masters of a Redis Cluster and the slots each serves now, as one node answers
 * {@code CLUSTER SLOTS} (Redis 6.2 and 7 alike). A snapshot: a reshard or a failover changes it.
 *
 * @param masters ordered by their first slot
 */
public record ClusterMasters(List<Master> masters) {
    /** Slots {@code first} to {@code last}, both included. */
    public record SlotRange(int first, int last) {
        public int size() {
            return last - first + 1;
        }
    }

    /**
     * One master: its address as the cluster announces it, and the slot ranges it serves.
     *
     * @param ranges in slot order
     */
    public record Master(String address, List<SlotRange> ranges) {
        public Master {
            Objects.requireNonNull(address, "address");
            ranges = List.copyOf(ranges);
        }

        public boolean serves(int slot) {
            return ranges.stream().anyMatch(r -> slot >= r.first() && slot <= r.last());
        }

        /** How many slots it serves. */
        public int slots() {
            return ranges.stream().mapToInt(SlotRange::size).sum();
        }
    }

    public ClusterMasters {
        masters = List.copyOf(masters);
    }

    /**
     * The masters of the cluster {@code redis} is connected to; empty if it is not a Cluster
     * client (standalone, Sentinel).
     *
     * @throws RedisUnavailableException if no node answers
     */
    public static Optional<ClusterMasters> read(UnifiedJedis redis) {
        if (!(redis instanceof RedisClusterClient cluster)) {
            return Optional.empty();
        }
        return Optional.of(RedisErrors.call("reading the cluster's masters (CLUSTER SLOTS)", () -> ask(cluster)));
    }

    /** The master that serves {@code slot}; empty while no master does (a failover under way). */
    public Optional<Master> ofSlot(int slot) {
        return masters.stream().filter(m -> m.serves(slot)).findFirst();
    }

    /** Asks one node after the other until one answers. */
    private static ClusterMasters ask(RedisClusterClient cluster) {
        JedisException last = null;
        for (ConnectionPool pool : cluster.getClusterNodes().values()) {
            try (Connection c = pool.getResource()) {
                return parse((List<?>) c.executeCommand(new CommandArguments(Protocol.Command.CLUSTER).add("SLOTS")),
                        c.getHostAndPort().getHost());
            } catch (JedisException e) {
                last = e;
            }
        }
        throw last != null ? last : new redis.clients.jedis.exceptions.JedisConnectionException("no cluster node known");
    }

    /**
     * CLUSTER SLOTS answers one entry per range: {first, last, {host, port, id, ...}, replicas...}.
     * A node that does not know its own address announces "" (Redis 7): then the host asked.
     */
    static ClusterMasters parse(List<?> reply, String askedHost) {
        Map<String, List<SlotRange>> byAddress = new LinkedHashMap<>();
        for (Object o : reply) {
            List<?> entry = (List<?>) o;
            List<?> master = (List<?>) entry.get(2);
            String host = text(master.get(0));
            String address = (host.isEmpty() ? askedHost : host) + ":" + master.get(1);
            byAddress.computeIfAbsent(address, a -> new ArrayList<>())
                    .add(new SlotRange(((Long) entry.get(0)).intValue(), ((Long) entry.get(1)).intValue()));
        }
        List<Master> masters = new ArrayList<>();
        byAddress.forEach((address, ranges) -> {
            ranges.sort(Comparator.comparingInt(SlotRange::first));
            masters.add(new Master(address, ranges));
        });
        masters.sort(Comparator.comparingInt(m -> m.ranges().getFirst().first()));
        return new ClusterMasters(masters);
    }

    private static String text(Object o) {
        return o instanceof byte[] b ? new String(b, UTF_8) : String.valueOf(o);
    }
}
