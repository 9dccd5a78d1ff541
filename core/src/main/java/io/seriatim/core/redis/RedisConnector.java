package io.seriatim.core.redis;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.RedisSentinelClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * Opens a Jedis client for {@link RedisSettings}: standalone, Sentinel or Cluster, all behind
 * {@link UnifiedJedis}, which is what the rest of Seriatim uses. The caller owns the returned
 * client and closes it.
 */
public final class RedisConnector {
    /**
     * The longest a blocking call (BLPOP) may block on a client from {@link #connect}: its answer
     * is awaited this long plus the socket timeout, so that a frozen server surfaces as an error
     * instead of a thread blocked until the server wakes, if ever. A longer wait needs a
     * {@link #blockingConnection}.
     */
    public static final Duration LONGEST_POOLED_BLOCK = Duration.ofSeconds(1);

    private RedisConnector() {}

    public static UnifiedJedis connect(RedisSettings settings) {
        URI uri = RedisSettings.parse(settings.address());
        GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
        pool.setMaxTotal(settings.poolSize());
        pool.setMaxIdle(settings.poolSize());
        pool.setJmxEnabled(false);
        // A borrower waits at most this long for a free connection: a stuck pool must surface as
        // an error the caller handles, never as a silent hang.
        pool.setMaxWait(settings.connectTimeout().plus(settings.socketTimeout()));
        DefaultJedisClientConfig.Builder config = config(settings, uri, LONGEST_POOLED_BLOCK);
        // A Cluster client reads the slot map here: an unreachable Cluster fails now.
        return RedisErrors.call("connecting to " + withoutPassword(uri), () -> switch (settings.mode()) {
            case STANDALONE -> RedisClient.builder()
                    .hostAndPort(uri.getHost(), uri.getPort())
                    .clientConfig(config.build())
                    .poolConfig(pool)
                    .build();
            case SENTINEL -> RedisSentinelClient.builder()
                    .masterName(uri.getPath().substring(1))
                    .sentinels(hosts(uri))
                    .clientConfig(config.build())
                    .poolConfig(pool)
                    .build();
            case CLUSTER -> RedisClusterClient.builder()
                    .nodes(hosts(uri))
                    .clientConfig(config.build())
                    .poolConfig(pool)
                    .build();
        });
    }

    /** The address for a message: a password must not reach a log. */
    private static String withoutPassword(URI uri) {
        String authority = uri.getRawAuthority();
        return uri.getScheme() + "://" + authority.substring(authority.lastIndexOf('@') + 1);
    }

    @SuppressWarnings("deprecation") // ssl(boolean): the JDK's default trust, as before; SslOptions would need its own
    private static DefaultJedisClientConfig.Builder config(RedisSettings settings, URI uri, Duration longestBlock) {
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis((int) settings.connectTimeout().toMillis())
                .socketTimeoutMillis((int) settings.socketTimeout().toMillis())
                // Jedis' default for a blocking call is to wait for its answer for ever.
                .blockingSocketTimeoutMillis((int) longestBlock.plus(settings.socketTimeout()).toMillis())
                .clientName("seriatim");
        String userInfo = uri.getUserInfo();
        if (userInfo != null && !userInfo.isEmpty()) {
            int colon = userInfo.indexOf(':');
            if (colon >= 0) {
                if (colon > 0) {
                    config.user(userInfo.substring(0, colon));
                }
                config.password(userInfo.substring(colon + 1));
            } else {
                config.password(userInfo);
            }
        }
        if (settings.mode() == RedisSettings.Mode.STANDALONE) {
            if (uri.getPath() != null && uri.getPath().length() > 1) {
                config.database(Integer.parseInt(uri.getPath().substring(1)));
            }
            config.ssl(uri.getScheme().equals("rediss"));
        }
        return config;
    }

    /**
     * One plain connection to a standalone Redis, for a blocking call (BLPOP) of at most
     * {@code longestBlock} that another thread must be able to cut short by closing it. Empty for
     * Sentinel and Cluster addresses.
     */
    public static Optional<Jedis> blockingConnection(RedisSettings settings, Duration longestBlock) {
        if (settings.mode() != RedisSettings.Mode.STANDALONE) {
            return Optional.empty();
        }
        URI uri = RedisSettings.parse(settings.address());
        return Optional.of(blockingConnection(settings, new HostAndPort(uri.getHost(), uri.getPort()), longestBlock));
    }

    /**
     * One plain connection to {@code node}, a server of the deployment {@code settings} name (a
     * Cluster's master, found in its slot map), with the settings' login, TLS and timeouts, for a
     * blocking call of at most {@code longestBlock} that another thread must be able to cut short by
     * closing it. It connects now: an unreachable node fails here.
     */
    public static Jedis blockingConnection(RedisSettings settings, HostAndPort node, Duration longestBlock) {
        // A plain Jedis speaks RESP2 only, and logs a warning per connection unless told not to negotiate.
        return new Jedis(node, config(settings, RedisSettings.parse(settings.address()), longestBlock)
                .autoNegotiateProtocol(false).build());
    }

    private static Set<HostAndPort> hosts(URI uri) {
        String authority = uri.getRawAuthority();
        int at = authority.lastIndexOf('@');
        Set<HostAndPort> out = new LinkedHashSet<>();
        for (String hp : authority.substring(at + 1).split(",")) {
            try {
                out.add(HostAndPort.from(hp.strip()));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("redis address lists '" + hp + "', not host:port");
            }
        }
        return out;
    }
}
