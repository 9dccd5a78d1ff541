package io.seriatim.testkit;

import io.seriatim.localredis.RedisBinary;
import io.seriatim.localredis.RedisCluster;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test class its own local Redis Cluster (3 masters, 3 replicas; see
 * {@link RedisCluster}): started before all tests, healed (killed nodes restarted, paused ones
 * resumed, every slot served again) and flushed before each, stopped after all. Which node is
 * master may differ from test to test, since a test may have failed one over.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final RedisClusterExtension cluster = new RedisClusterExtension();
 *
 * @Test
 * void somethingOnACluster() {
 *     try (UnifiedJedis redis = RedisConnector.connect(RedisSettings.of(cluster.uri()))) { ... }
 * }
 * }</pre>
 *
 * Test methods may also take the {@link RedisCluster} as a parameter.
 */
public final class RedisClusterExtension implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback,
        ParameterResolver {
    private RedisCluster cluster;

    public RedisCluster cluster() {
        if (cluster == null) {
            throw new IllegalStateException("the cluster starts in beforeAll: register the extension static");
        }
        return cluster;
    }

    /** The cluster's seed address, {@code redis-cluster://...}. */
    public String uri() {
        return cluster().uri();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        cluster = RedisCluster.start(RedisBinary.resolve(), RedisCluster.DEFAULT_NODE_TIMEOUT);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        cluster.heal();
        cluster.flushAll();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == RedisCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return cluster();
    }
}
