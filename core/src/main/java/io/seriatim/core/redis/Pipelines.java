package io.seriatim.core.redis;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * Opens pipelines. On a Redis Cluster, Jedis syncs a pipeline that spans several masters on
 * threads of an executor; unless given one it starts a new pool of three platform threads for
 * every such sync and shuts it down after. That cost about half a millisecond per pipeline, and
 * the gateway syncs one per batch, serially per connection: under a steady 1,000 submits/s a
 * batch waited 65 ms (standalone: 2 ms). Here every sync shares one executor of virtual threads,
 * one per node per sync, which holds no thread while nothing runs and so needs no shutdown.
 */
public final class Pipelines {
    private static final Logger log = LoggerFactory.getLogger(Pipelines.class);
    /**
     * A master without a connection (killed, failed over) makes Jedis' sync task throw; the
     * caller learns it from that master's unset replies, which it reads as Redis unavailable.
     * The thread's own stack trace would only repeat that, on stderr.
     */
    private static final ExecutorService CLUSTER_SYNC = Executors.newThreadPerTaskExecutor(Thread.ofVirtual()
            .name("seriatim-pipeline-sync-", 0)
            .uncaughtExceptionHandler((t, e) -> log.debug("a cluster pipeline's read from one master failed: {}", e.toString()))
            .factory());

    private Pipelines() {}

    /** A pipeline on {@code redis}; the caller closes it. */
    public static AbstractPipeline open(UnifiedJedis redis) {
        return redis instanceof RedisClusterClient cluster ? cluster.pipelined(CLUSTER_SYNC) : redis.pipelined();
    }
}
