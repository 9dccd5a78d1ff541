package io.seriatim.localredis;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import redis.clients.jedis.Jedis;

/**
 * A local Sentinel group: two {@link RedisServer}s, a master and its replica, watched by three
 * Sentinels (quorum 2), all on free loopback ports. The Sentinels count the master down after
 * {@code down-after-milliseconds} (default 1 s) and promote the replica; a killed server that is
 * restarted comes back as a replica, since the Sentinels reconfigure it.
 *
 * <p>Which server is the master changes with every failover: ask {@link #master()}.
 *
 * <p>Not thread-safe: one test thread drives it.
 */
public final class RedisSentinelGroup implements LocalDeployment {
    /** The name the Sentinels monitor the master under. */
    public static final String MASTER_NAME = "seriatim";
    /** How long the master may be unreachable before a Sentinel counts it down. */
    public static final Duration DEFAULT_DOWN_AFTER = Duration.ofSeconds(1);

    private static final int SENTINELS = 3;
    private static final int QUORUM = 2;
    private static final Duration SETTLE = Duration.ofSeconds(30);

    private final List<RedisServer> servers;
    private final List<RedisServer> sentinels;

    private RedisSentinelGroup(List<RedisServer> servers, List<RedisServer> sentinels) {
        this.servers = List.copyOf(servers);
        this.sentinels = List.copyOf(sentinels);
    }

    /** Starts a group on {@link RedisBinary#resolve()} with the default down-after time. */
    public static RedisSentinelGroup start() {
        return start(RedisBinary.resolve(), DEFAULT_DOWN_AFTER);
    }

    /** Starts master, replica and three Sentinels of {@code binary} and waits until all know each other. */
    public static RedisSentinelGroup start(Path binary, Duration downAfter) {
        List<RedisServer> started = new ArrayList<>();
        try {
            // Redis 7 waits 5 s before a diskless full sync, for more replicas to join it: none will.
            List<String> noSyncDelay = List.of("--repl-diskless-sync-delay", "0");
            RedisServer master = RedisServer.start(binary, noSyncDelay);
            started.add(master);
            RedisServer replica = RedisServer.start(binary, List.of("--replicaof", master.host(),
                    Integer.toString(master.port()), "--repl-diskless-sync-delay", "0"));
            started.add(replica);
            List<String> config = List.of(
                    "sentinel monitor " + MASTER_NAME + " " + master.host() + " " + master.port() + " " + QUORUM,
                    "sentinel down-after-milliseconds " + MASTER_NAME + " " + downAfter.toMillis(),
                    // After a failed attempt a Sentinel waits twice this before the next: keep tests short.
                    "sentinel failover-timeout " + MASTER_NAME + " " + Math.max(3_000, 5 * downAfter.toMillis()));
            List<RedisServer> sentinels = new ArrayList<>();
            for (int i = 0; i < SENTINELS; i++) {
                RedisServer sentinel = RedisServer.startSentinel(binary, config);
                started.add(sentinel);
                sentinels.add(sentinel);
            }
            RedisSentinelGroup group = new RedisSentinelGroup(List.of(master, replica), sentinels);
            group.awaitHealthy();
            return group;
        } catch (RuntimeException e) {
            started.forEach(RedisServer::close);
            throw e;
        }
    }

    /** The address for Seriatim: {@code redis-sentinel://127.0.0.1:s1,...,127.0.0.1:s3/seriatim}. */
    @Override
    public String uri() {
        return "redis-sentinel://" + sentinels.stream().map(s -> s.host() + ":" + s.port())
                .collect(Collectors.joining(",")) + "/" + MASTER_NAME;
    }

    /** The two data servers, in start order (the first started as master). */
    public List<RedisServer> servers() {
        return servers;
    }

    public List<RedisServer> sentinels() {
        return sentinels;
    }

    /** The server the Sentinels name as master now (the first running Sentinel asked). */
    public RedisServer master() {
        int port = masterPortSeenBy(sentinels.stream().filter(RedisServer::isRunning).findFirst()
                .orElseThrow(() -> new IllegalStateException("no Sentinel is running")));
        return byPort(port);
    }

    /** The server that is not {@link #master()}. */
    public RedisServer replica() {
        RedisServer master = master();
        return servers.stream().filter(s -> s != master).findFirst().orElseThrow();
    }

    /**
     * Has a Sentinel promote the replica now (SENTINEL FAILOVER: no agreement needed), then waits
     * until every Sentinel names it and the old master replicates it.
     *
     * <p>The Sentinels turn the old master into a replica only when they next ask it for INFO,
     * up to 10 s later; until then it still answers as a master. This sends it REPLICAOF at once,
     * as the Sentinels will: a test need not wait out that window.
     */
    public void failover() {
        RedisServer before = master();
        sentinels.getFirst().call(j -> j.sentinelFailover(MASTER_NAME));
        Poll.until(SETTLE, "the Sentinels moving the master off " + before.port(), () -> {
            RedisServer now = master();
            return now == before ? "the master is still " + before.port() : null;
        });
        RedisServer now = master();
        if (before.isRunning() && !before.isPaused()) {
            before.call(j -> j.replicaof(now.host(), now.port()));
        }
        awaitHealthy();
    }

    /** Restarts every killed process, resumes every paused one, and waits until all is well. */
    @Override
    public void heal() {
        all().forEach(RedisServer::revive);
        awaitHealthy();
    }

    /**
     * Waits (at most 30 s) until every running Sentinel names the same running master, knows the
     * other Sentinels, and that master answers {@code role:master}; and the other server, if it
     * runs, replicates it with its link up.
     */
    public void awaitHealthy() {
        Poll.until(SETTLE, "the Sentinel group being healthy", this::problem);
    }

    private String problem() {
        Integer agreed = null;
        int running = 0;
        for (RedisServer sentinel : sentinels) {
            if (!sentinel.isRunning() || sentinel.isPaused()) {
                continue;
            }
            running++;
            Map<String, String> state = sentinel.call(j -> j.sentinelMaster(MASTER_NAME));
            int port = Integer.parseInt(state.get("port"));
            if (agreed != null && agreed != port) {
                return "the Sentinels name masters " + agreed + " and " + port;
            }
            agreed = port;
            if (!state.get("flags").equals("master")) {
                return "Sentinel " + sentinel.port() + " flags the master " + state.get("flags");
            }
            if (Integer.parseInt(state.get("num-other-sentinels")) != SENTINELS - 1) {
                return "Sentinel " + sentinel.port() + " knows " + state.get("num-other-sentinels") + " others";
            }
        }
        if (agreed == null) {
            return "no Sentinel is running";
        }
        RedisServer master = byPort(agreed);
        if (!master.isRunning() || master.isPaused()) {
            return running + " Sentinels name " + agreed + ", which is not running";
        }
        if (!master.call(j -> j.info("replication")).contains("role:master")) {
            return "the named master " + agreed + " is not a master (yet)";
        }
        for (RedisServer server : servers) {
            if (server != master && server.isRunning() && !server.isPaused()) {
                String replication = server.call(j -> j.info("replication"));
                if (!replication.contains("master_port:" + agreed) || !replication.contains("master_link_status:up")) {
                    return "server " + server.port() + " does not replicate " + agreed + " yet";
                }
            }
        }
        return null;
    }

    /** FLUSHALL on the master; the replica follows. */
    @Override
    public void flushAll() {
        master().flushAll();
    }

    @Override
    public void close() {
        all().forEach(RedisServer::close);
    }

    private List<RedisServer> all() {
        List<RedisServer> all = new ArrayList<>(servers);
        all.addAll(sentinels);
        return all;
    }

    private static int masterPortSeenBy(RedisServer sentinel) {
        List<String> address = sentinel.call(j -> j.sentinelGetMasterAddrByName(MASTER_NAME));
        return Integer.parseInt(address.get(1));
    }

    private RedisServer byPort(int port) {
        return servers.stream().filter(s -> s.port() == port).findFirst()
                .orElseThrow(() -> new IllegalStateException("no server of this group has port " + port));
    }

}
