package io.seriatim.cli;

import com.codahale.metrics.MetricRegistry;
import io.seriatim.gateway.GatewayServer;
import io.seriatim.gateway.GatewaySettings;
import io.seriatim.metrics.MetricsEndpoint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

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

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "listen address (default ${DEFAULT-VALUE}; another address without --auth-token is warned about)")
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

    @Option(names = "--max-batch-jobs", defaultValue = "10000",
            description = "jobs one batch may carry; a longer batch is refused whole (default ${DEFAULT-VALUE})")
    int maxBatchJobs;

    @Option(names = "--max-in-flight-bytes", defaultValue = "33554432",
            description = "bytes one connection may have in flight each way (read and unanswered; answers not yet taken);"
                    + " past it the gateway stops reading it; at least --max-frame-bytes (default ${DEFAULT-VALUE})")
    long maxInFlightBytes;

    @Option(names = "--max-partial-frame-bytes", defaultValue = "268435456",
            description = "bytes of unfinished frames all connections together may hold; a connection past it is closed"
                    + " with OVERLOADED; at least --max-frame-bytes (default ${DEFAULT-VALUE})")
    long maxPartialFrameBytes;

    @Option(names = "--idle-timeout", paramLabel = "DURATION", defaultValue = "60s",
            description = "how long a connection may send nothing after Hello, with nothing unanswered, or leave its"
                    + " answers untaken, before it is closed (default ${DEFAULT-VALUE})")
    Duration idleTimeout;

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
                .maxFrameBytes(maxFrameBytes).maxBatchJobs(maxBatchJobs).maxInFlightBytes(maxInFlightBytes)
                .maxPartialFrameBytes(maxPartialFrameBytes).idleTimeout(idleTimeout)
                .waitReplicas(waitReplicas, waitTimeout).tls(tlsCert, tlsKey)
                .namespaces(namespaces.stream().map(namespaceSettings::stated).toList()).build();
        // The listen port is probed, not held: the gateway does not listen until Redis answers (a
        // client's connection is refused meanwhile), and GatewayServer.start binds it before it
        // accepts anything, so losing it in between exits 2 having accepted no job.
        Flags.listenable("--port", host, port);
        MetricRegistry registry = new MetricRegistry();
        MetricsEndpoint endpoint = metrics.bind(registry, spec.commandLine().getOut());
        GatewayServer gateway = MetricsOption.startBound(endpoint, () -> startup.start(redis, () -> GatewayServer.start(settings, registry)));
        // The gateway's own health: its event loops and its Redis, not only a Redis of ours.
        MetricsOption.serveHealth(endpoint, gateway::health);
        spec.commandLine().getOut().println("gateway listening on " + host + ":" + gateway.port() + (settings.tls() ? " (TLS)" : "")
                + ", Redis " + redis.shown());
        spec.commandLine().getOut().flush();
        String exposed = settings.exposureWarning();
        if (exposed != null) {
            spec.commandLine().getErr().println(exposed);
            spec.commandLine().getErr().flush();
        }
        Await.untilShutdown(() -> {
            gateway.close();
            if (endpoint != null) {
                endpoint.close();
            }
        });
        return ExitCode.OK;
    }
}
