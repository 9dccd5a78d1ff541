package io.seriatim.localredis;

/**
 * A group of local Redis processes that a client sees as one deployment (a {@link RedisCluster},
 * a {@link RedisSentinelGroup}): what a test fixture needs of any of them.
 */
public interface LocalDeployment extends AutoCloseable {
    /** The address for Seriatim's {@code RedisSettings}: {@code redis-cluster://...} or {@code redis-sentinel://...}. */
    String uri();

    /** Brings back every killed or paused process and waits until the deployment serves again. */
    void heal();

    /** Empties the data set, on whichever servers are masters now. */
    void flushAll();

    /** Stops every process and deletes their data. */
    @Override
    void close();
}
