package io.seriatim.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.codahale.metrics.MetricRegistry;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.seriatim.client.Producer;
import io.seriatim.client.ProducerSettings;
import io.seriatim.core.queue.KeyedQueue;
import io.seriatim.core.queue.QueueCounts;
import io.seriatim.core.redis.RedisConnector;
import io.seriatim.core.redis.RedisSettings;
import io.seriatim.core.settings.FailurePolicy;
import io.seriatim.core.settings.NamespaceSettings;
import io.seriatim.core.settings.StatedSettings;
import io.seriatim.gateway.GatewayServer;
import io.seriatim.gateway.GatewaySettings;
import io.seriatim.localredis.RedisServer;
import io.seriatim.metrics.MetricsEndpoint;
import io.seriatim.sweeper.Sweeper;
import io.seriatim.sweeper.SweeperSettings;
import io.seriatim.worker.JobHandler;
import io.seriatim.worker.NonRetryableException;
import io.seriatim.worker.Worker;
import io.seriatim.worker.WorkerSettings;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.UnifiedJedis;

/**
 * docs/grafana-dashboard.json and docs/alert-rules.yml against a real Prometheus scraping a live
 * run: every panel's query answers "success" with data, and every rule evaluates with health "ok".
 *
 * <p>The run is in this JVM, each part as an application embedding it would run it: its own
 * Dropwizard registry and its own {@link MetricsEndpoint} on a port of its own (a gateway, a worker
 * for each of two namespaces, a sweeper), on a real {@code redis-server}. In-process rather than
 * as child processes of {@code seriatim}: it exercises the embedded path the endpoint module is
 * for (the command's {@code --metrics-port} binds the same endpoint, tested in
 * {@code StartBeforeClaimTest}), and four JVMs more would crowd a 2-core machine.
 *
 * <p>Skipped, with the reason in the run's summary, where {@code prometheus} is not on the PATH;
 * {@code .ci/run} installs Debian's package.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class PrometheusScrapeTest {
    private static final Path DOCS = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent().resolve("docs");
    private static final String ORDERS = "orders";
    private static final String BILLING = "billing";
    /** Every job whose payload says so fails for good: dead-lettered (orders) or parking its key (billing). */
    private static final JobHandler HANDLER = (job, context) -> {
        if (new String(job.payload(), UTF_8).equals("fail")) {
            throw new NonRetryableException("the test's job " + job.id() + " fails");
        }
    };

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Deque<AutoCloseable> open = new ArrayDeque<>();

    @Test
    void everyPanelQueryReturnsDataAndEveryAlertRuleEvaluates(@TempDir Path dir) throws Exception {
        Path prometheus = onPath("prometheus");
        assumeTrue(prometheus != null, "prometheus is not on the PATH (apt-get install prometheus; .ci/run installs it)");
        try {
            Map<String, Integer> targets = liveRun();
            URI api = startPrometheus(prometheus, dir, targets);
            List<String> failures = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            for (String expr : panelExpressions()) {
                String last = null;
                do {
                    JsonObject answer = get(api.resolve("/api/v1/query?query=" + URLEncoder.encode(expr, UTF_8)));
                    boolean data = "success".equals(answer.get("status").getAsString())
                            && !answer.getAsJsonObject("data").getAsJsonArray("result").isEmpty();
                    last = data ? null : answer.toString();
                    if (last != null) {
                        Thread.sleep(500);
                    }
                } while (last != null && System.nanoTime() < deadline);
                if (last != null) {
                    failures.add(expr + " -> " + last);
                }
            }
            assertThat(failures).as("panel queries without data or with an error; Prometheus' log:%n%s", log(dir)).isEmpty();

            int rules = ruleCount();
            assertThat(rules).as("rules in docs/alert-rules.yml").isGreaterThanOrEqualTo(7);
            Map<String, String> health = new LinkedHashMap<>();
            await(Duration.ofSeconds(30), () -> {
                health.clear();
                JsonObject answer = get(api.resolve("/api/v1/rules"));
                for (JsonElement group : answer.getAsJsonObject("data").getAsJsonArray("groups")) {
                    for (JsonElement r : group.getAsJsonObject().getAsJsonArray("rules")) {
                        JsonObject rule = r.getAsJsonObject();
                        String error = rule.has("lastError") ? rule.get("lastError").getAsString() : "";
                        health.put(rule.get("name").getAsString(), rule.get("health").getAsString() + (error.isEmpty() ? "" : ": " + error));
                    }
                }
                return health.size() == rules && health.values().stream().allMatch("ok"::equals);
            });
            assertThat(health).as("every alert rule loaded and evaluated").hasSize(rules);
            assertThat(health.values()).as("rule health %s", health).allMatch("ok"::equals);
        } finally {
            closeAll();
        }
    }

    @Test
    void promtoolFindsTheRulesFileValid() throws Exception {
        Path promtool = onPath("promtool");
        assumeTrue(promtool != null, "promtool is not on the PATH (it comes with Debian's prometheus package)");
        Process p = new ProcessBuilder(promtool.toString(), "check", "rules", DOCS.resolve("alert-rules.yml").toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    /**
     * Redis, a gateway, two workers, a sweeper, each with a metrics endpoint; jobs submitted
     * through the gateway until some are dead-lettered and a key is parked. Returns the endpoints'
     * ports by Prometheus job name.
     */
    private Map<String, Integer> liveRun() throws Exception {
        RedisServer redis = RedisServer.start();
        open.push(redis);
        RedisSettings rs = RedisSettings.of(redis.uri());
        UnifiedJedis client = RedisConnector.connect(rs);
        open.push(client);
        KeyedQueue orders = KeyedQueue.open(client, NamespaceSettings.builder(ORDERS).build());
        KeyedQueue billing = KeyedQueue.open(client, NamespaceSettings.builder(BILLING).failurePolicy(FailurePolicy.PARK).build());

        Map<String, Integer> ports = new LinkedHashMap<>();
        // Each endpoint is bound before its part starts, as an embedding application should.
        MetricRegistry gatewayMetrics = new MetricRegistry();
        MetricsEndpoint gatewayEndpoint = endpoint(gatewayMetrics);
        GatewayServer gateway = GatewayServer.start(GatewaySettings.builder(rs).host("127.0.0.1").port(0).build(), gatewayMetrics);
        open.push(gateway);
        gatewayEndpoint.healthFrom(gateway::health);
        ports.put("seriatim-gateway", gatewayEndpoint.port());
        for (String ns : List.of(ORDERS, BILLING)) {
            MetricRegistry metrics = new MetricRegistry();
            MetricsEndpoint endpoint = endpoint(metrics);
            open.push(Worker.start(WorkerSettings.builder(rs, StatedSettings.adopt(ns)).workerId("worker-" + ns)
                    .concurrency(8).build(), HANDLER, metrics));
            endpoint.healthFrom(() -> null);
            ports.put("seriatim-worker-" + ns, endpoint.port());
        }
        MetricRegistry sweeperMetrics = new MetricRegistry();
        MetricsEndpoint sweeperEndpoint = endpoint(sweeperMetrics);
        open.push(Sweeper.start(SweeperSettings.builder(rs, List.of(StatedSettings.adopt(ORDERS), StatedSettings.adopt(BILLING)))
                .interval(Duration.ofMillis(500)).build(), sweeperMetrics));
        sweeperEndpoint.healthFrom(() -> null);
        ports.put("seriatim-sweeper", sweeperEndpoint.port());

        submit(gateway.port(), ORDERS, 200, i -> "order-" + (i % 20), i -> i % 40 == 7 ? "fail" : "ok");
        submit(gateway.port(), BILLING, 100, i -> "account-" + (i % 10), i -> i == 9 ? "fail" : "ok");
        try (Producer stranger = Producer.connect(ProducerSettings.builder("127.0.0.1", gateway.port(), "no-such-namespace").build())) {
            stranger.submit("k", "x".getBytes(UTF_8)).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException expected) {
            // refused (UNKNOWN_NAMESPACE): what the rejection panel and alert read
        }
        await(Duration.ofSeconds(30), () -> {
            QueueCounts o = orders.counts();
            QueueCounts b = billing.counts();
            return o.deadJobs() == 5 && o.pendingJobs() == 0 && b.parkedKeys() == 1 && b.stuckKeys() == 1;
        });
        return ports;
    }

    private MetricsEndpoint endpoint(MetricRegistry metrics) {
        MetricsEndpoint endpoint = MetricsEndpoint.bind(metrics, "127.0.0.1", 0);
        open.push(endpoint);
        return endpoint;
    }

    private static void submit(int port, String ns, int jobs, java.util.function.IntFunction<String> key,
            java.util.function.IntFunction<String> payload) throws Exception {
        try (Producer producer = Producer.connect(ProducerSettings.builder("127.0.0.1", port, ns).build())) {
            List<CompletableFuture<Long>> ids = new ArrayList<>();
            for (int i = 0; i < jobs; i++) {
                ids.add(producer.submit(key.apply(i), payload.apply(i).getBytes(UTF_8)));
            }
            CompletableFuture.allOf(ids.toArray(new CompletableFuture<?>[0])).get(30, TimeUnit.SECONDS);
        }
    }

    /** Starts {@code prometheus} scraping every second, with the rules file; returns its address. */
    private URI startPrometheus(Path binary, Path dir, Map<String, Integer> targets) throws Exception {
        StringBuilder config = new StringBuilder("""
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                  evaluation_interval: 1s
                rule_files:
                  - '%s'
                scrape_configs:
                """.formatted(DOCS.resolve("alert-rules.yml")));
        targets.forEach((job, port) -> config.append("  - job_name: '").append(job).append("'\n")
                .append("    static_configs:\n      - targets: ['127.0.0.1:").append(port).append("']\n"));
        Path file = dir.resolve("prometheus.yml");
        Files.writeString(file, config);
        int port = RedisDownAtStartTest.freePort();
        Process process = new ProcessBuilder(binary.toString(), "--config.file=" + file,
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        open.push(() -> {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        });
        URI api = URI.create("http://127.0.0.1:" + port);
        await(Duration.ofSeconds(60), () -> {
            assertThat(process.isAlive()).as("prometheus runs; its log:%n%s", log(dir)).isTrue();
            try {
                return http.send(HttpRequest.newBuilder(api.resolve("/-/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        });
        return api;
    }

    /** Every target's expression of the dashboard, the namespace variable as "all". */
    private static List<String> panelExpressions() throws IOException {
        JsonObject dashboard = JsonParser.parseString(Files.readString(DOCS.resolve("grafana-dashboard.json"))).getAsJsonObject();
        List<String> exprs = new ArrayList<>();
        for (JsonElement panel : dashboard.getAsJsonArray("panels")) {
            for (JsonElement target : panel.getAsJsonObject().getAsJsonArray("targets")) {
                exprs.add(target.getAsJsonObject().get("expr").getAsString().replace("$namespace", ".*"));
            }
        }
        assertThat(exprs).as("the dashboard's queries").hasSizeGreaterThanOrEqualTo(12);
        return exprs;
    }

    private static int ruleCount() throws IOException {
        Matcher m = Pattern.compile("(?m)^\\s*- alert:").matcher(Files.readString(DOCS.resolve("alert-rules.yml")));
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private JsonObject get(URI uri) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        return JsonParser.parseString(r.body()).getAsJsonObject();
    }

    /** Polls {@code done} every 200 ms until it holds, failing after {@code max}. */
    private static void await(Duration max, Check done) throws Exception {
        long deadline = System.nanoTime() + max.toNanos();
        while (!done.holds()) {
            assertThat(System.nanoTime()).as("still not done after %s", max).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    @FunctionalInterface
    private interface Check {
        boolean holds() throws Exception;
    }

    private static String log(Path dir) {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("prometheus.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static Path onPath(String name) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(d.isEmpty() ? "." : d, name);
            if (Files.isExecutable(p) && !Files.isDirectory(p)) {
                return p;
            }
        }
        return null;
    }

    private void closeAll() {
        while (!open.isEmpty()) {
            try {
                open.pop().close();
            } catch (Exception ignored) {
                // closing the rest matters more; the test's own outcome is already decided
            }
        }
    }
}
