package io.seriatim.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class MetricsEndpointTest {
    @Test
    void servesPrometheusTextAndAHealthCheckThatSaysWhy() throws Exception {
        MetricRegistry registry = new MetricRegistry();
        registry.meter("seriatim.worker.comments.acked").mark(42);
        AtomicReference<String> problem = new AtomicReference<>();
        try (MetricsEndpoint endpoint = MetricsEndpoint.start(registry, "127.0.0.1", 0, problem::get);
                HttpClient http = HttpClient.newHttpClient()) {
            String base = "http://127.0.0.1:" + endpoint.port();
            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("seriatim_worker_jobs_acked_total{namespace=\"comments\"} 42")
                    .contains("# TYPE jvm_memory_used_bytes gauge").doesNotContain("Generated from Dropwizard");
            assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            problem.set("Redis unreachable: connection refused");
            HttpResponse<String> sick = http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(sick.statusCode()).isEqualTo(503);
            assertThat(sick.body()).contains("Redis unreachable");
        }
    }

    @Test
    void aBoundEndpointSaysStartingUntilItIsHandedItsHealthCheck() throws Exception {
        try (MetricsEndpoint endpoint = MetricsEndpoint.bind(new MetricRegistry(), "127.0.0.1", 0);
                HttpClient http = HttpClient.newHttpClient()) {
            URI health = URI.create("http://127.0.0.1:" + endpoint.port() + "/health");
            HttpResponse<String> starting = http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(starting.statusCode()).isEqualTo(503);
            assertThat(starting.body()).isEqualTo(MetricsEndpoint.STARTING + "\n");
            endpoint.healthFrom(() -> null);
            assertThat(http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isEqualTo(200);
        }
    }
}
