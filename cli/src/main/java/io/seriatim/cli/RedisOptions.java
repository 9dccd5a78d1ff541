package io.seriatim.cli;

import io.seriatim.core.redis.RedisConnector;
import io.seriatim.core.redis.RedisSettings;
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
        return RedisSettings.builder(address).connectTimeout(timeout).socketTimeout(timeout).build();
    }

    /** A client the caller owns and closes. */
    public UnifiedJedis connect() {
        return RedisConnector.connect(settings());
    }
}
