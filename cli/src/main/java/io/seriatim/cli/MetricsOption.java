package io.seriatim.cli;

import com.codahale.metrics.MetricRegistry;
import io.seriatim.metrics.MetricsEndpoint;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/** {@code --metrics-port}: Prometheus text on /metrics, a health check on /health, and JMX. */
final class MetricsOption {
    @Option(names = "--metrics-port", paramLabel = "PORT", defaultValue = "${env:SERIATIM_METRICS_PORT:--1}",
            description = "serve /metrics (Prometheus text) and /health on this port; -1 = off (default), 0 = any free port")
    int port;

    @Option(names = "--metrics-host", defaultValue = "0.0.0.0", description = "address for the metrics port (default ${DEFAULT-VALUE})")
    String host;

    /**
     * Binds the endpoint for real when a port was given (null otherwise; the caller closes it),
     * failing with one line naming the flag if it cannot listen there. A long-running command
     * calls this before it connects to Redis or takes any work, and later hands the bound
     * endpoint its health check ({@link MetricsEndpoint#healthFrom}): no probe and rebind, so no
     * window in which the port can be lost after work was taken.
     */
    MetricsEndpoint bind(MetricRegistry registry, PrintWriter out) {
        if (port == -1) {
            return null;
        }
        Flags.atLeast("--metrics-port", port, -1);
        Flags.port("--metrics-port", host, port);
        MetricsEndpoint endpoint;
        try {
            endpoint = MetricsEndpoint.bind(registry, host, port);
        } catch (UncheckedIOException e) {
            throw Flags.cannotListen("--metrics-port", host, port, e.getCause());
        }
        out.println("metrics on http://" + host + ":" + endpoint.port() + "/metrics, health on /health");
        out.flush();
        return endpoint;
    }

    /** Hands a bound endpoint (or none) the process's health check, once its work has started. */
    static void serveHealth(MetricsEndpoint endpoint, Supplier<String> health) {
        if (endpoint != null) {
            endpoint.healthFrom(health);
        }
    }

    /** Closes a bound endpoint (or none): for a start that failed after {@link #bind}. */
    static void close(MetricsEndpoint endpoint) {
        if (endpoint != null) {
            endpoint.close();
        }
    }

    /**
     * Starts a process's work once its endpoint is bound; if the start fails, frees the port again
     * (for the next start, or an in-process caller) and rethrows.
     */
    static <T> T startBound(MetricsEndpoint endpoint, Supplier<T> start) {
        try {
            return start.get();
        } catch (RuntimeException e) {
            close(endpoint);
            throw e;
        }
    }
}
