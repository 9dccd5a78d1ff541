package io.seriatim.testkit;

import io.seriatim.localredis.LocalDeployment;
import io.seriatim.localredis.RedisBinary;
import io.seriatim.localredis.RedisCluster;
import io.seriatim.localredis.RedisSentinelGroup;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test class its own local Redis deployment, a {@link RedisCluster} (3 masters, 3
 * replicas) or a {@link RedisSentinelGroup} (a master, its replica, 3 Sentinels): started
 * before all tests, healed (killed processes restarted, paused ones resumed, serving again) and
 * flushed before each, stopped after all. Which server is master may differ from test to test,
 * since a test may have failed one over.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final DeploymentExtension<RedisCluster> cluster = DeploymentExtension.cluster();
 *
 * @Test
 * void somethingOnACluster() {
 *     try (UnifiedJedis redis = RedisConnector.connect(RedisSettings.of(cluster.uri()))) {
 *         ...
 *         cluster.deployment().masters().getFirst().kill();
 *     }
 * }
 * }</pre>
 *
 * Test methods may also take the deployment as a parameter.
 *
 * @param <D> the kind of deployment
 */
public final class DeploymentExtension<D extends LocalDeployment> implements BeforeAllCallback, BeforeEachCallback,
        AfterAllCallback, ParameterResolver {
    private final Class<D> type;
    private final Supplier<D> start;
    private D deployment;

    private DeploymentExtension(Class<D> type, Supplier<D> start) {
        this.type = type;
        this.start = start;
    }

    /** A Redis Cluster on {@link RedisBinary#resolve()}, with {@link RedisCluster#DEFAULT_NODE_TIMEOUT}. */
    public static DeploymentExtension<RedisCluster> cluster() {
        return new DeploymentExtension<>(RedisCluster.class,
                () -> RedisCluster.start(RedisBinary.resolve(), RedisCluster.DEFAULT_NODE_TIMEOUT));
    }

    /** A Sentinel group on {@link RedisBinary#resolve()}, with {@link RedisSentinelGroup#DEFAULT_DOWN_AFTER}. */
    public static DeploymentExtension<RedisSentinelGroup> sentinel() {
        return new DeploymentExtension<>(RedisSentinelGroup.class,
                () -> RedisSentinelGroup.start(RedisBinary.resolve(), RedisSentinelGroup.DEFAULT_DOWN_AFTER));
    }

    public D deployment() {
        if (deployment == null) {
            throw new IllegalStateException("the deployment starts in beforeAll: register the extension static");
        }
        return deployment;
    }

    /** The deployment's address for {@code RedisSettings}. */
    public String uri() {
        return deployment().uri();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        deployment = start.get();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        deployment.heal();
        deployment.flushAll();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (deployment != null) {
            deployment.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == type;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return deployment();
    }
}
