package io.seriatim.testkit;

import io.seriatim.localredis.RedisBinary;
import io.seriatim.localredis.RedisServer;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import redis.clients.jedis.RedisClient;

/**
 * Gives a test class its own real {@code redis-server}: started before all tests, flushed (and
 * brought back if a test killed or paused it) before each, killed after all.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final RedisExtension redis = new RedisExtension();
 *
 * @Test
 * void somethingAgainstRealRedis() {
 *     KeyedQueue q = KeyedQueue.open(redis.client(), settings);
 *     redis.server().kill();
 * }
 * }</pre>
 *
 * Test methods may also take a {@link RedisServer} parameter.
 */
public final class RedisExtension implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback,
        ParameterResolver {
    private final List<String> serverArgs;
    private final boolean embedded;
    private RedisServer server;
    private RedisClient client;
    private long clientPid;

    /** A server with the defaults of {@link RedisServer#start()} (AOF everysec). */
    public RedisExtension() {
        this(List.of());
    }

    /** A server with extra {@code redis-server} arguments, e.g. {@code "--appendfsync", "always"}. */
    public RedisExtension(List<String> serverArgs) {
        this(serverArgs, false);
    }

    private RedisExtension(List<String> serverArgs, boolean embedded) {
        this.serverArgs = List.copyOf(serverArgs);
        this.embedded = embedded;
    }

    /** A server on the Redis 6.2 binary that the embedded-redis jar ships, whatever is on the PATH. */
    public static RedisExtension onEmbeddedRedis() {
        return new RedisExtension(List.of(), true);
    }

    public RedisServer server() {
        if (server == null) {
            throw new IllegalStateException("the Redis server starts in beforeAll: register the extension static");
        }
        return server;
    }

    /**
     * A Jedis client for the server, owned (and closed) by this extension. After a test restarted
     * the server, this is a new client: the old one's pooled connections died with the process.
     */
    public RedisClient client() {
        if (client != null && clientPid != server().pid()) {
            closeClient();
        }
        if (client == null) {
            client = RedisClient.create(server().host(), server().port());
            clientPid = server().pid();
        }
        return client;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = embedded ? RedisServer.start(RedisBinary.embedded(), serverArgs) : RedisServer.start(serverArgs);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        server.revive(); // a paused server would hang the flush
        server.flushAll();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        closeClient();
        if (server != null) {
            server.close();
        }
    }

    private void closeClient() {
        if (client != null) {
            client.close();
            client = null;
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == RedisServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return server();
    }
}
