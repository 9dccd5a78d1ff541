package io.seriatim.cli;

import com.codahale.metrics.MetricRegistry;
import io.seriatim.cli.ops.MetricsEndpoint;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/** {@code --metrics-port}: Prometheus text on /metrics, a health check on /health, and JMX. */
final class MetricsOption {
    @Option(names = "--metrics-port", paramLabel = "PORT", defaultValue = "${env:SERIATIM_METRICS_PORT:--1}",
            description = "serve /metrics (Prometheus text) and /health on this port; -1 = off (default), 0 = any free port")
    int port;

    @Option(names = "--metrics-host", defaultValue = "0.0.0.0", description = "address for the metrics port (default ${DEFAULT-VALUE})")
    String host;

    /** Fails, naming the flag, if the endpoint could not listen where it was asked to. */
    void checkListenable() {
        if (port != -1) {
            Flags.atLeast("--metrics-port", port, -1);
            Flags.listenable("--metrics-port", host, port);
        }
    }

    /** Starts the endpoint when a port was given; null otherwise. The caller closes it. */
    MetricsEndpoint start(MetricRegistry registry, Supplier<String> health, java.io.PrintWriter out) {
        if (port < 0) {
            return null;
        }
        MetricsEndpoint endpoint = MetricsEndpoint.start(registry, host, port, health);
        out.println("metrics on http://" + host + ":" + endpoint.port() + "/metrics, health on /health");
        out.flush();
        return endpoint;
    }
}
