package io.seriatim.localredis;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClusterFailoverOption;
import redis.clients.jedis.params.MigrateParams;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * A local Redis Cluster of three masters and three replicas (or, for a benchmark, three masters
 * alone), six {@link RedisServer}s on free loopback ports, each with its {@code nodes.conf} in its own data directory. It is formed from
 * Java with CLUSTER commands (SET-CONFIG-EPOCH, ADDSLOTS, MEET, REPLICATE), as
 * {@code redis-cli --cluster create --cluster-replicas 1} would, so it needs nothing but
 * {@code redis-server}, and it works on Redis 6.2 as on 7 (ADDSLOTS in chunks: ADDSLOTSRANGE
 * is 7 only).
 *
 * <p>A test may kill ({@link RedisServer#kill()}), pause or restart any node; a restarted node
 * comes back with its identity from {@code nodes.conf} and rejoins, as a replica if its slots were
 * taken over meanwhile. {@link #awaitHealthy()} waits until the cluster serves every slot again.
 * A short {@code cluster-node-timeout} (default 1 s) makes automatic failover take a few seconds.
 *
 * <p>Not thread-safe: one test thread drives it.
 */
public final class RedisCluster implements LocalDeployment {
    /** Redis Cluster's slot count. */
    public static final int SLOTS = 16_384;
    /** How long a node may be unreachable before the others count it as failed. */
    public static final Duration DEFAULT_NODE_TIMEOUT = Duration.ofSeconds(1);

    private static final int MASTERS = 3;
    /** ADDSLOTS arguments per command: one command of 5,462 slots is fine too, this keeps replies small. */
    private static final int ADDSLOTS_CHUNK = 1_000;
    /** Redis 6.2 has no cluster-port: the bus is always the client port + 10,000. */
    private static final int BUS_OFFSET = 10_000;
    private static final Duration SETTLE = Duration.ofSeconds(30);
    private static final int MIGRATE_BATCH = 100;
    private static final int MIGRATE_TIMEOUT_MS = 5_000;

    private final List<RedisServer> nodes;
    /** Node id by client port: ids are kept in nodes.conf across restarts. */
    private final Map<Integer, String> ids = new HashMap<>();

    private RedisCluster(List<RedisServer> nodes) {
        this.nodes = List.copyOf(nodes);
    }

    /** Starts a cluster on {@link RedisBinary#resolve()} with the default node timeout. */
    public static RedisCluster start() {
        return start(RedisBinary.resolve(), DEFAULT_NODE_TIMEOUT);
    }

    /**
     * Starts six nodes of {@code binary}, makes the first three masters of a third of the slots
     * each and the last three their replicas, and waits until every node answers
     * {@code cluster_state:ok} and every replica is in sync.
     */
    public static RedisCluster start(Path binary, Duration nodeTimeout) {
        return start(binary, nodeTimeout, true);
    }

    /**
     * Starts three masters only: what a benchmark compares with one standalone Redis, which has
     * no replica either (on a machine of its own, a replica's CPU is not the master's).
     */
    public static RedisCluster startMastersOnly(Path binary) {
        return start(binary, DEFAULT_NODE_TIMEOUT, false);
    }

    private static RedisCluster start(Path binary, Duration nodeTimeout, boolean replicas) {
        List<RedisServer> started = new ArrayList<>();
        try {
            for (int i = 0; i < (replicas ? 2 : 1) * MASTERS; i++) {
                started.add(RedisServer.start(binary, clusterPort(), List.of("--cluster-enabled", "yes",
                        "--cluster-config-file", "nodes.conf",
                        "--cluster-node-timeout", Long.toString(nodeTimeout.toMillis()),
                        // Redis 7 waits 5 s before a diskless full sync, for more replicas to join it: none will.
                        "--repl-diskless-sync-delay", "0")));
            }
            RedisCluster cluster = new RedisCluster(started);
            cluster.form();
            return cluster;
        } catch (RuntimeException e) {
            started.forEach(RedisServer::close);
            throw e;
        }
    }

    private void form() {
        for (RedisServer node : nodes) {
            ids.put(node.port(), node.call(Jedis::clusterMyId));
        }
        for (int m = 0; m < MASTERS; m++) {
            int first = m * SLOTS / MASTERS;
            int end = (m + 1) * SLOTS / MASTERS;
            long epoch = m + 1L;
            nodes.get(m).call(j -> {
                // Distinct epochs from the start, as redis-cli gives them: no collision to resolve later.
                j.clusterSetConfigEpoch(epoch);
                for (int from = first; from < end; from += ADDSLOTS_CHUNK) {
                    j.clusterAddSlots(IntStream.range(from, Math.min(end, from + ADDSLOTS_CHUNK)).toArray());
                }
                return null;
            });
        }
        RedisServer seed = nodes.getFirst();
        for (RedisServer node : nodes.subList(1, nodes.size())) {
            seed.call(j -> j.clusterMeet(node.host(), node.port()));
        }
        // A replica can only REPLICATE a master it has heard of.
        Poll.until(SETTLE, "every node knowing all " + nodes.size() + " nodes", () -> {
            for (RedisServer node : nodes) {
                List<ClusterNode> view = view(node);
                if (view.size() != nodes.size() || view.stream().anyMatch(ClusterNode::isJoining)) {
                    return "node " + node.port() + " sees " + view;
                }
            }
            return null;
        });
        for (int r = MASTERS; r < nodes.size(); r++) {
            String masterId = ids.get(nodes.get(r - MASTERS).port());
            nodes.get(r).call(j -> j.clusterReplicate(masterId));
        }
        awaitHealthy();
    }

    /** All six nodes in start order (the first three started as masters), running or not. */
    public List<RedisServer> nodes() {
        return nodes;
    }

    /** The seed address for Seriatim: {@code redis-cluster://127.0.0.1:p1,...} listing every node. */
    @Override
    public String uri() {
        return "redis-cluster://" + nodes.stream().map(n -> n.host() + ":" + n.port()).collect(Collectors.joining(","));
    }

    /** The masters that serve slots now, as a running node sees them, in start order. */
    public List<RedisServer> masters() {
        Map<String, ClusterNode> view = byId(anyRunningView());
        return nodes.stream().filter(n -> {
            ClusterNode c = view.get(ids.get(n.port()));
            return c != null && c.isMaster() && c.slots() > 0;
        }).toList();
    }

    /** The master that serves {@code slot} now. */
    public RedisServer masterOfSlot(int slot) {
        return anyRunningView().stream().filter(c -> c.isMaster() && !c.isFailing() && c.serves(slot)).findFirst()
                .map(c -> byPort(c.port()))
                .orElseThrow(() -> new IllegalStateException("no master serves slot " + slot));
    }

    /** The master that serves the slot of {@code key} (its hash tag, if it has one). */
    public RedisServer masterOfKey(String key) {
        return masterOfSlot(JedisClusterCRC16.getSlot(key));
    }

    /** A node that replicates {@code master} now, as the master itself sees it. */
    public Optional<RedisServer> replicaOf(RedisServer master) {
        String masterId = ids.get(master.port());
        return view(master).stream().filter(c -> masterId.equals(c.masterId()) && !c.isFailing())
                .map(c -> byPort(c.port())).findFirst();
    }

    /**
     * Promotes {@code replica} over its master at once (CLUSTER FAILOVER FORCE: no handshake
     * with the master, which may be dead or paused; the other masters still vote), then waits
     * until the cluster serves every slot.
     */
    public void failover(RedisServer replica) {
        replica.call(j -> j.clusterFailover(ClusterFailoverOption.FORCE));
        String id = ids.get(replica.port());
        Poll.until(SETTLE, "node " + replica.port() + " becoming a master", () -> {
            ClusterNode self = byId(view(replica)).get(id);
            return self.isMaster() && self.slots() > 0 ? null : "it sees itself as " + self;
        });
        awaitHealthy();
    }

    /**
     * Moves {@code slot} and its keys to the master {@code target} while clients use it, as
     * {@code redis-cli --cluster reshard} does: {@link #beginMigration}, its keys a batch at a
     * time with {@link #migrateKeys} (clients meet ASK, and TRYAGAIN for a multi-key call whose
     * keys are split meanwhile), then {@link #finishMigration}. Nothing to do when {@code target}
     * serves it already.
     */
    public void migrateSlot(int slot, RedisServer target) {
        RedisServer source = masterOfSlot(slot);
        if (source == target) {
            return;
        }
        beginMigration(slot, target);
        while (true) {
            List<byte[]> keys = source.call(j -> j.clusterGetKeysInSlotBinary(slot, MIGRATE_BATCH));
            if (keys.isEmpty()) {
                break;
            }
            migrateKeys(slot, target, keys);
        }
        finishMigration(slot, target);
    }

    /** Marks {@code slot} importing on {@code target} and migrating on its master: a reshard's first step. */
    public void beginMigration(int slot, RedisServer target) {
        RedisServer source = masterOfSlot(slot);
        String sourceId = ids.get(source.port());
        String targetId = ids.get(target.port());
        target.call(j -> j.clusterSetSlotImporting(slot, sourceId));
        source.call(j -> j.clusterSetSlotMigrating(slot, targetId));
    }

    /** MIGRATE of {@code keys} of the migrating {@code slot} from its master to {@code target}. */
    public void migrateKeys(int slot, RedisServer target, List<byte[]> keys) {
        masterOfSlot(slot).call(j -> j.migrate(target.host(), target.port(), 0, MIGRATE_TIMEOUT_MS,
                MigrateParams.migrateParams().replace(), keys.toArray(byte[][]::new)));
    }

    /** Makes {@code target} the owner of {@code slot} on every master and waits until every node sees it. */
    public void finishMigration(int slot, RedisServer target) {
        RedisServer source = masterOfSlot(slot);
        String targetId = ids.get(target.port());
        // The target first: once the source lets go, the target must already answer for the slot.
        target.call(j -> j.clusterSetSlotNode(slot, targetId));
        source.call(j -> j.clusterSetSlotNode(slot, targetId));
        for (RedisServer master : masters()) {
            if (master != source && master != target) {
                master.call(j -> j.clusterSetSlotNode(slot, targetId));
            }
        }
        Poll.until(SETTLE, "every node seeing slot " + slot + " served by " + target.port(), () -> {
            for (RedisServer node : nodes) {
                if (node.isRunning() && !node.isPaused() && view(node).stream()
                        .noneMatch(c -> c.port() == target.port() && c.serves(slot))) {
                    return "node " + node.port() + " does not see it yet";
                }
            }
            return null;
        });
    }

    /**
     * Runs {@code action} with {@code master} left down as the action harms it: its replica kept
     * from taking over ({@code cluster-replica-no-failover}) and the other masters serving their
     * own slots meanwhile ({@code cluster-require-full-coverage no}; by default a cluster refuses
     * every key once one master is marked failing). Then heals the cluster and sets both back. For
     * tests of one master being down longer than the node timeout.
     */
    public void withoutFailover(RedisServer master, Runnable action) {
        RedisServer replica = replicaOf(master).orElseThrow(() -> new IllegalStateException(
                "master " + master.port() + " has no replica to hold back"));
        List<RedisServer> others = masters().stream().filter(m -> !m.equals(master)).toList();
        replica.call(j -> j.configSet("cluster-replica-no-failover", "yes"));
        others.forEach(m -> m.call(j -> j.configSet("cluster-require-full-coverage", "no")));
        try {
            action.run();
        } finally {
            heal();
            replica.call(j -> j.configSet("cluster-replica-no-failover", "no"));
            others.forEach(m -> m.call(j -> j.configSet("cluster-require-full-coverage", "yes")));
        }
    }

    /** Restarts every killed node, resumes every paused one, and waits until all is well. */
    @Override
    public void heal() {
        nodes.forEach(RedisServer::revive);
        awaitHealthy();
    }

    /**
     * Waits (at most 30 s) until every running, unpaused node answers {@code cluster_state:ok},
     * all of them agree on which masters serve the slots, those masters are running and serve all
     * 16,384 slots, no running node is marked failing by another, and every running replica's link
     * to its master is up and its master lists it as its replica.
     */
    public void awaitHealthy() {
        Poll.until(SETTLE, "the cluster being healthy", this::problem);
    }

    /** What is wrong with the cluster now, or null. */
    private String problem() {
        Map<String, Integer> agreed = null;
        for (RedisServer node : nodes) {
            if (!node.isRunning() || node.isPaused()) {
                continue;
            }
            String info = node.call(Jedis::clusterInfo);
            if (!info.contains("cluster_state:ok")) {
                return "node " + node.port() + " answers " + info.lines().findFirst().orElse(info);
            }
            Map<String, Integer> owners = new HashMap<>();
            for (ClusterNode c : view(node)) {
                RedisServer peer = byPort(c.port());
                if (peer.isRunning() && !peer.isPaused() && c.isFailing()) {
                    // A restarted node is "healthy" only once the others have cleared its FAIL flag.
                    return "node " + node.port() + " still marks running node " + c + " as failing";
                }
                if (c.isMaster() && c.slots() > 0) {
                    RedisServer owner = byPort(c.port());
                    if (c.isFailing() || !owner.isRunning() || owner.isPaused()) {
                        return "node " + node.port() + " has slots served by " + c;
                    }
                    owners.put(c.id(), c.slots());
                }
            }
            if (owners.values().stream().mapToInt(Integer::intValue).sum() != SLOTS) {
                return "node " + node.port() + " sees slots served as " + owners;
            }
            if (agreed != null && !agreed.equals(owners)) {
                return "nodes disagree on the slot owners: " + agreed + " and, at " + node.port() + ", " + owners;
            }
            agreed = owners;
            String replication = node.call(j -> j.info("replication"));
            if (replication.contains("role:slave") && !replication.contains("master_link_status:up")) {
                return "replica " + node.port() + " has no link to its master yet";
            }
            ClusterNode self = byId(view(node)).get(ids.get(node.port()));
            if (!self.isMaster() && !roleSeenByItsMaster(self)) {
                return "replica " + node.port() + " is not yet listed as a replica by its master";
            }
        }
        return agreed == null ? "no node is running" : null;
    }

    private boolean roleSeenByItsMaster(ClusterNode replica) {
        RedisServer master = nodes.stream().filter(n -> replica.masterId().equals(ids.get(n.port()))).findFirst()
                .orElse(null);
        if (master == null || !master.isRunning() || master.isPaused()) {
            return false;
        }
        ClusterNode seen = byId(view(master)).get(replica.id());
        return seen != null && replica.masterId().equals(seen.masterId()) && !seen.isFailing();
    }

    /** FLUSHALL on every master; the replicas follow. */
    @Override
    public void flushAll() {
        masters().forEach(RedisServer::flushAll);
    }

    /** SCRIPT FLUSH on every running node: as if each had restarted without its script cache. */
    public void scriptFlush() {
        for (RedisServer node : nodes) {
            if (node.isRunning() && !node.isPaused()) {
                node.call(Jedis::scriptFlush);
            }
        }
    }

    @Override
    public void close() {
        nodes.forEach(RedisServer::close);
    }

    private List<ClusterNode> anyRunningView() {
        for (RedisServer node : nodes) {
            if (node.isRunning() && !node.isPaused()) {
                return view(node);
            }
        }
        throw new IllegalStateException("no node of the cluster is running");
    }

    private List<ClusterNode> view(RedisServer node) {
        return ClusterNode.parseAll(node.call(Jedis::clusterNodes));
    }

    private static Map<String, ClusterNode> byId(List<ClusterNode> view) {
        return view.stream().collect(Collectors.toMap(ClusterNode::id, c -> c));
    }

    private RedisServer byPort(int port) {
        return nodes.stream().filter(n -> n.port() == port).findFirst()
                .orElseThrow(() -> new IllegalStateException("no node of this cluster has port " + port));
    }


    /**
     * A free port whose bus port (+10,000) is free too. The OS' ephemeral ports (32768 and up)
     * would put the bus past 65535, so it tries random ports below that range instead.
     */
    private static int clusterPort() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(20_000, 30_000);
            if (free(port) && free(port + BUS_OFFSET)) {
                return port;
            }
        }
        throw new IllegalStateException("found no free port p with p + " + BUS_OFFSET + " free in 200 tries");
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
