package io.seriatim.core.redis;

import static io.seriatim.core.settings.Check.positive;
import static io.seriatim.core.settings.Check.range;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Where Redis is and how to talk to it. Immutable; built with {@link #builder(String)}.
 *
 * <p>Address forms:
 * <ul>
 *   <li>{@code redis://[user:password@]host:port[/db]} (or {@code rediss://} for TLS): one server</li>
 *   <li>{@code redis-sentinel://[password@]host:port,host:port/masterName}: Sentinel-managed failover</li>
 *   <li>{@code redis-cluster://host:port,host:port}: Redis Cluster (seed nodes)</li>
 * </ul>
 *
 * @param address        one of the forms above
 * @param connectTimeout TCP connect timeout; default 2 s
 * @param socketTimeout  time to wait for a reply before Redis counts as unavailable; default 2 s
 * @param poolSize       pooled connections per client; default 32 (blocking calls hold one each)
 */
public record RedisSettings(String address, Duration connectTimeout, Duration socketTimeout, int poolSize) {

    public RedisSettings {
        parse(address);
        positive("redis connectTimeout", connectTimeout);
        positive("redis socketTimeout", socketTimeout);
        range("redis poolSize", poolSize, 1, 10_000);
    }

    public static Builder builder(String address) {
        return new Builder(address);
    }

    /** Settings with every default for {@code address}. */
    public static RedisSettings of(String address) {
        return builder(address).build();
    }

    /** The kind of deployment the address names. */
    public enum Mode { STANDALONE, SENTINEL, CLUSTER }

    public Mode mode() {
        return parse(address).getScheme().equals("redis-sentinel") ? Mode.SENTINEL
                : parse(address).getScheme().equals("redis-cluster") ? Mode.CLUSTER : Mode.STANDALONE;
    }

    static URI parse(String address) {
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("redis address must not be empty (e.g. redis://127.0.0.1:6379)");
        }
        URI uri;
        try {
            uri = URI.create(address);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("redis address '" + address + "' is not a URI: " + e.getMessage());
        }
        String scheme = Objects.requireNonNullElse(uri.getScheme(), "");
        switch (scheme) {
            case "redis", "rediss" -> {
                if (uri.getHost() == null || uri.getPort() < 1) {
                    throw new IllegalArgumentException("redis address '" + address
                            + "' needs a host and a port, e.g. redis://127.0.0.1:6379");
                }
            }
            case "redis-sentinel", "redis-cluster" -> {
                if (uri.getRawAuthority() == null || uri.getRawAuthority().isBlank()) {
                    throw new IllegalArgumentException("redis address '" + address + "' lists no host:port");
                }
                if (scheme.equals("redis-sentinel") && (uri.getPath() == null || uri.getPath().length() < 2)) {
                    throw new IllegalArgumentException("redis address '" + address
                            + "' needs the master name as its path, e.g. redis-sentinel://h1:26379,h2:26379/mymaster");
                }
            }
            default -> throw new IllegalArgumentException("redis address '" + address
                    + "' must start with redis://, rediss://, redis-sentinel:// or redis-cluster://");
        }
        return uri;
    }

    /** Builds {@link RedisSettings}; each setter checks its value. */
    public static final class Builder {
        private final String address;
        private Duration connectTimeout = Duration.ofSeconds(2);
        private Duration socketTimeout = Duration.ofSeconds(2);
        private int poolSize = 32;

        private Builder(String address) {
            parse(address);
            this.address = address;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            positive("redis connectTimeout", connectTimeout);
            this.connectTimeout = connectTimeout;
            return this;
        }

        public Builder socketTimeout(Duration socketTimeout) {
            positive("redis socketTimeout", socketTimeout);
            this.socketTimeout = socketTimeout;
            return this;
        }

        public Builder poolSize(int poolSize) {
            range("redis poolSize", poolSize, 1, 10_000);
            this.poolSize = poolSize;
            return this;
        }

        public RedisSettings build() {
            return new RedisSettings(address, connectTimeout, socketTimeout, poolSize);
        }
    }
}
