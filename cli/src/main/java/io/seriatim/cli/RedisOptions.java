package io.seriatim.cli;

import io.seriatim.core.redis.RedisConnector;
import io.seriatim.core.redis.RedisSettings;
import java.net.URI;
import java.time.Duration;
import picocli.CommandLine.Option;
import redis.clients.jedis.UnifiedJedis;

/** The Redis address every command that talks to Redis shares (flag, env, or config file). */
public final class RedisOptions {
    @Option(names = "--redis", paramLabel = "URI", defaultValue = "${env:SERIATIM_REDIS:-redis://127.0.0.1:6379}",
            description = "Redis address: redis://host:port, redis-sentinel://h:p,h:p/master, "
                    + "redis-cluster://h:p,h:p (env SERIATIM_REDIS; default ${DEFAULT-VALUE})")
    String address;

    @Option(names = "--redis-timeout", paramLabel = "DURATION", defaultValue = "2s",
            description = "Redis connect and reply timeout, e.g. 500ms, 2s, PT2S (default ${DEFAULT-VALUE})")
    Duration timeout;

    public RedisSettings settings() {
        RedisSettings settings = RedisSettings.builder(address).connectTimeout(timeout).socketTimeout(timeout).build();
        String path = URI.create(address).getPath();
        if (settings.mode() == RedisSettings.Mode.STANDALONE && path != null && path.length() > 1
                && !path.substring(1).matches("\\d{1,5}")) {
            throw new IllegalArgumentException("redis address " + shown(address) + ": after the port comes a database "
                    + "number, e.g. redis://127.0.0.1:6379/0, not '" + path.substring(1) + "'");
        }
        return settings;
    }

    /** The address as it may be printed and logged: without the password. */
    public String shown() {
        return shown(address);
    }

    static String shown(String address) {
        return address.replaceFirst("^([a-zA-Z][a-zA-Z0-9+.-]*://)[^/]*@", "$1***@");
    }

    /** A client the caller owns and closes. */
    public UnifiedJedis connect() {
        return RedisConnector.connect(settings());
    }
}
