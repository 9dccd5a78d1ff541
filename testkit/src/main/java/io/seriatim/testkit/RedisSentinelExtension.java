package io.seriatim.testkit;

import io.seriatim.localredis.RedisBinary;
import io.seriatim.localredis.RedisSentinelGroup;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test class its own Sentinel group (a master, its replica, three Sentinels; see
 * {@link RedisSentinelGroup}): started before all tests, healed and flushed before each, stopped
 * after all. The master may be either server, since a test may have failed it over.
 *
 * <p>Test methods may also take the {@link RedisSentinelGroup} as a parameter.
 */
public final class RedisSentinelExtension implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback,
        ParameterResolver {
    private RedisSentinelGroup group;

    public RedisSentinelGroup group() {
        if (group == null) {
            throw new IllegalStateException("the Sentinel group starts in beforeAll: register the extension static");
        }
        return group;
    }

    /** The group's address, {@code redis-sentinel://.../seriatim}. */
    public String uri() {
        return group().uri();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        group = RedisSentinelGroup.start(RedisBinary.resolve(), RedisSentinelGroup.DEFAULT_DOWN_AFTER);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        group.heal();
        group.flushAll();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (group != null) {
            group.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == RedisSentinelGroup.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return group();
    }
}
