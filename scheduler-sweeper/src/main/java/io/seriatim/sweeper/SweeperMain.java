package io.seriatim.sweeper;

import com.codahale.metrics.MetricRegistry;
import io.seriatim.core.redis.RedisSettings;
import io.seriatim.core.settings.StatedSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs a sweeper until SIGTERM, configured from the environment (the {@code seriatim sweeper}
 * command offers the same with flags): {@code SERIATIM_REDIS} (default redis://127.0.0.1:6379),
 * {@code SERIATIM_NAMESPACES} (comma-separated, default "default"), {@code SERIATIM_SWEEP_INTERVAL}
 * (ISO-8601 duration, default PT1S). A bad setting exits with status 2 and says why.
 */
public final class SweeperMain {
    private SweeperMain() {}

    public static void main(String[] args) throws InterruptedException {
        SweeperSettings settings;
        try {
            settings = fromEnvironment(System.getenv());
        } catch (RuntimeException e) {
            System.err.println("sweeper: " + e.getMessage());
            System.exit(2);
            return;
        }
        Sweeper.start(settings, new MetricRegistry()).closeOnShutdown();
        Thread.currentThread().join();
    }

    static SweeperSettings fromEnvironment(Map<String, String> env) {
        RedisSettings redis = RedisSettings.of(env.getOrDefault("SERIATIM_REDIS", "redis://127.0.0.1:6379"));
        List<StatedSettings> namespaces = new ArrayList<>();
        for (String name : env.getOrDefault("SERIATIM_NAMESPACES", "default").split(",")) {
            namespaces.add(StatedSettings.adopt(name.strip())); // each namespace's settings are the stored ones
        }
        Duration interval;
        try {
            interval = Duration.parse(env.getOrDefault("SERIATIM_SWEEP_INTERVAL", "PT1S"));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("SERIATIM_SWEEP_INTERVAL must be an ISO-8601 duration such as PT1S, got '"
                    + env.get("SERIATIM_SWEEP_INTERVAL") + "'");
        }
        return SweeperSettings.builder(redis, namespaces).interval(interval).build();
    }
}
