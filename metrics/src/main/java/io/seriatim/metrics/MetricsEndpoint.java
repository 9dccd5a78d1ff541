package io.seriatim.metrics;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.jmx.JmxReporter;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Serves one process's Dropwizard registry as Prometheus text on {@code /metrics} (Seriatim's
 * metrics as {@link Families} maps them, and the JVM's: memory, GC, threads, classes, process),
 * a health check on {@code /health} (200 "ok" or 503 with the reason), and the registry over JMX
 * (domain {@code seriatim}).
 *
 * <p>The {@code seriatim} command serves one for {@code --metrics-port}; an application that
 * embeds a worker, gateway or sweeper serves its registry the same way:
 *
 * <pre>{@code
 * MetricRegistry registry = new MetricRegistry();
 * try (MetricsEndpoint endpoint = MetricsEndpoint.bind(registry, "0.0.0.0", 9421); // before the worker claims
 *         Worker worker = Worker.start(settings, handler, registry)) {
 *     endpoint.healthFrom(() -> null); // or a check of your own: null when healthy, else why not
 *     ...
 * }
 * }</pre>
 *
 * <p>A process binds it first, before it connects to Redis or takes any work ({@link #bind}), so
 * that a port it cannot have fails the start while nothing has been claimed; until the process
 * hands it its real check ({@link #healthFrom}), {@code /health} answers 503 "starting".
 *
 * <p>Owns its HTTP server and the one thread that answers requests; {@link #close()} stops both.
 */
public final class MetricsEndpoint implements AutoCloseable {
    /** What /health says before the process has started its work. */
    public static final String STARTING = "starting: not serving yet (waiting for Redis)";

    private final HttpServer server;
    private final ExecutorService executor;
    private final JmxReporter jmx;
    private volatile Supplier<String> health = () -> STARTING;

    private MetricsEndpoint(HttpServer server, ExecutorService executor, JmxReporter jmx) {
        this.server = server;
        this.executor = executor;
        this.jmx = jmx;
    }

    /**
     * Binds {@code host:port} (port 0 picks a free one) and serves at once, {@code /health}
     * answering 503 {@link #STARTING} until {@link #healthFrom} is called.
     *
     * @throws java.io.UncheckedIOException if it cannot listen there (its cause a {@code BindException} when the port is in use)
     */
    public static MetricsEndpoint bind(MetricRegistry metrics, String host, int port) {
        SeriatimCollector seriatim = new SeriatimCollector(metrics);
        PrometheusRegistry jvm = new PrometheusRegistry();
        JvmMetrics.builder().register(jvm);
        PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve metrics on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        server.createContext("/metrics", exchange -> {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            writer.write(body, scrape(seriatim, jvm), EscapingScheme.UNDERSCORE_ESCAPING);
            respond(exchange, 200, writer.getContentType(), body.toByteArray());
        });
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "seriatim-metrics-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        JmxReporter jmx = JmxReporter.forRegistry(metrics).inDomain("seriatim").build();
        MetricsEndpoint endpoint = new MetricsEndpoint(server, executor, jmx);
        server.createContext("/health", endpoint::answerHealth);
        server.start();
        jmx.start();
        return endpoint;
    }

    /**
     * Seriatim's families and the JVM's (written sorted by name); a JVM family whose name the
     * Dropwizard registry already took (an application's own {@code jvm.*} metric, say) is left
     * out rather than failing the scrape.
     */
    static MetricSnapshots scrape(SeriatimCollector seriatim, PrometheusRegistry jvm) {
        List<MetricSnapshot> all = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (MetricSnapshots part : List.of(seriatim.collect(), jvm.scrape())) {
            for (MetricSnapshot s : part) {
                if (names.add(s.getMetadata().getPrometheusName())) {
                    all.add(s);
                }
            }
        }
        return new MetricSnapshots(all);
    }

    /** {@link #bind} and {@link #healthFrom} at once. */
    public static MetricsEndpoint start(MetricRegistry metrics, String host, int port, Supplier<String> health) {
        MetricsEndpoint endpoint = bind(metrics, host, port);
        endpoint.healthFrom(health);
        return endpoint;
    }

    /**
     * From now on {@code /health} asks {@code check}: null when healthy, else why not. Called by
     * the process once its work has started.
     */
    public void healthFrom(Supplier<String> check) {
        this.health = check;
    }

    private void answerHealth(HttpExchange exchange) throws IOException {
        String problem;
        try {
            problem = health.get();
        } catch (RuntimeException e) {
            problem = e.toString();
        }
        byte[] body = (problem == null ? "ok\n" : problem + "\n").getBytes(StandardCharsets.UTF_8);
        respond(exchange, problem == null ? 200 : 503, "text/plain; charset=utf-8", body);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void respond(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        jmx.stop();
        server.stop(0);
        executor.shutdownNow();
    }
}
