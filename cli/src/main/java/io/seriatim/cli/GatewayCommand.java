package io.seriatim.cli;

import com.codahale.metrics.MetricRegistry;
import io.seriatim.cli.ops.MetricsEndpoint;
import io.seriatim.gateway.GatewayServer;
import io.seriatim.gateway.GatewaySettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import redis.clients.jedis.UnifiedJedis;

@Command(name = "gateway", mixinStandardHelpOptions = true,
        description = "Run the producer gateway: clients submit over TCP (Protobuf frames), jobs go to Redis.")
final class GatewayCommand implements Callable<Integer> {
    @Mixin RedisOptions redis;
    @Mixin MetricsOption metrics;
    @Mixin NamespaceSettingsOptions namespaceSettings;
    @Mixin RedisAtStart startup;
    @Spec CommandSpec spec;

    @Option(names = {"-n", "--namespace"}, split = ",", paramLabel = "NAME",
            description = "namespaces whose settings flags below this gateway is started with: refused if they differ "
                    + "from the stored ones (default: none; every namespace is served with its stored settings)")
    List<String> namespaces = List.of();

    @Option(names = "--host", defaultValue = "0.0.0.0", description = "listen address (default ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--port", defaultValue = "${env:SERIATIM_GATEWAY_PORT:-7420}", description = "listen port (default ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--auth-token", defaultValue = "${env:SERIATIM_AUTH_TOKEN}",
            description = "shared secret clients must present (env SERIATIM_AUTH_TOKEN; default: none)")
    String authToken;

    @Option(names = "--tls-cert", description = "PEM certificate chain: turns TLS on (with --tls-key)")
    Path tlsCert;

    @Option(names = "--tls-key", description = "PEM PKCS#8 private key")
    Path tlsKey;

    @Option(names = "--max-frame-bytes", defaultValue = "16777216", description = "largest frame (default ${DEFAULT-VALUE})")
    int maxFrameBytes;

    @Option(names = "--wait-replicas", defaultValue = "0", description = "replicas each submit must reach (Redis WAIT) before it is acknowledged (default ${DEFAULT-VALUE})")
    int waitReplicas;

    @Option(names = "--wait-timeout", paramLabel = "DURATION", defaultValue = "1s",
            description = "how long each master a submit wrote to may take to hear from --wait-replicas replicas; "
                    + "at least 500ms shorter than --redis-timeout (default ${DEFAULT-VALUE})")
    Duration waitTimeout;

    @Override
    public Integer call() {
        if (namespaces.isEmpty() && namespaceSettings.anyGiven()) {
            throw new IllegalArgumentException("namespace settings flags need --namespace: the namespaces they are for");
        }
        GatewaySettings settings = GatewaySettings.builder(redis.settings()).host(host).port(port).authToken(authToken)
                .maxFrameBytes(maxFrameBytes).waitReplicas(waitReplicas, waitTimeout).tls(tlsCert, tlsKey)
                .namespaces(namespaces.stream().map(namespaceSettings::stated).toList()).build();
        Flags.listenable("--port", host, port);
        metrics.checkListenable();
        MetricRegistry registry = new MetricRegistry();
        GatewayServer gateway = startup.start(redis, () -> GatewayServer.start(settings, registry));
        UnifiedJedis probe = redis.connect();
        MetricsEndpoint endpoint = metrics.start(registry, RedisHealth.of(probe), spec.commandLine().getOut());
        spec.commandLine().getOut().println("gateway listening on " + host + ":" + gateway.port() + (settings.tls() ? " (TLS)" : "")
                + ", Redis " + redis.shown());
        spec.commandLine().getOut().flush();
        Await.untilShutdown(() -> {
            gateway.close();
            if (endpoint != null) {
                endpoint.close();
            }
            probe.close();
        });
        return ExitCode.OK;
    }
}
