package io.seriatim.cli;

import com.codahale.metrics.MetricRegistry;
import io.seriatim.core.settings.StatedSettings;
import io.seriatim.metrics.MetricsEndpoint;
import io.seriatim.sweeper.Sweeper;
import io.seriatim.sweeper.SweeperSettings;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import redis.clients.jedis.UnifiedJedis;

@Command(name = "sweeper", mixinStandardHelpOptions = true,
        description = "Run the scheduler-sweeper: expired leases back to ready, delayed jobs when due, cron ticks, gauges.")
final class SweeperCommand implements Callable<Integer> {
    @Mixin RedisOptions redis;
    @Mixin MetricsOption metrics;
    @Mixin NamespaceSettingsOptions namespaceSettings;
    @Mixin RedisAtStart startup;
    @Spec CommandSpec spec;

    @Option(names = {"-n", "--namespace"}, required = true, split = ",", paramLabel = "NAME",
            defaultValue = "${env:SERIATIM_NAMESPACE:-default}", description = "namespaces to serve (comma-separated or repeated)")
    List<String> namespaces;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "1s",
            description = "time between ticks, e.g. 500ms, 1s, PT1S (default ${DEFAULT-VALUE})")
    Duration interval;

    @Override
    public Integer call() {
        List<StatedSettings> ns = namespaces.stream().map(namespaceSettings::stated).toList();
        SweeperSettings settings = SweeperSettings.builder(redis.settings(), ns).interval(interval).build();
        MetricRegistry registry = new MetricRegistry();
        MetricsEndpoint endpoint = metrics.bind(registry, spec.commandLine().getOut()); // before the first tick
        Sweeper sweeper = MetricsOption.startBound(endpoint, () -> startup.start(redis, () -> Sweeper.start(settings, registry)));
        UnifiedJedis probe;
        try {
            probe = redis.connect(); // after the start: a Cluster client connects as it is made
        } catch (RuntimeException e) {
            sweeper.close();
            MetricsOption.close(endpoint);
            throw e;
        }
        MetricsOption.serveHealth(endpoint, RedisHealth.of(probe));
        spec.commandLine().getOut().println("sweeper serving " + namespaces + " every " + interval + ", Redis " + redis.shown());
        spec.commandLine().getOut().flush();
        Await.untilShutdown(() -> {
            sweeper.close();
            if (endpoint != null) {
                endpoint.close();
            }
            probe.close();
        });
        return ExitCode.OK;
    }
}
