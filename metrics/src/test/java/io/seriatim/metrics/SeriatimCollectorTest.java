package io.seriatim.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What the Prometheus text of a registry holding Seriatim's metrics (and a stranger's) says. */
class SeriatimCollectorTest {
    private final MetricRegistry registry = new MetricRegistry();

    private String text() throws IOException {
        PrometheusRegistry jvm = new PrometheusRegistry();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, MetricsEndpoint.scrape(new SeriatimCollector(registry), jvm),
                EscapingScheme.UNDERSCORE_ESCAPING);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theNamespaceAndTheWorkerAreLabelsNotPartsOfTheName() throws IOException {
        for (String ns : new String[] {"comments", "orders.eu"}) {
            registry.meter("seriatim.worker." + ns + ".acked").mark(3);
            registry.register("seriatim.worker." + ns + ".worker-id", (Gauge<String>) () -> "w-" + ns);
            registry.register("seriatim.namespace." + ns + ".pending-jobs", (Gauge<Long>) () -> 7L);
        }
        String text = text();
        assertThat(text)
                .contains("# HELP seriatim_worker_jobs_acked_total Jobs the handler ran and the worker acknowledged")
                .contains("# TYPE seriatim_worker_jobs_acked_total counter")
                .contains("seriatim_worker_jobs_acked_total{namespace=\"comments\",worker=\"w-comments\"} 3")
                .contains("seriatim_worker_jobs_acked_total{namespace=\"orders.eu\",worker=\"w-orders.eu\"} 3")
                .contains("seriatim_worker_info{namespace=\"comments\",worker=\"w-comments\"} 1")
                .contains("# TYPE seriatim_namespace_pending_jobs gauge")
                .contains("seriatim_namespace_pending_jobs{namespace=\"orders.eu\"} 7")
                .doesNotContain("comments_acked").doesNotContain("Generated from Dropwizard");
    }

    @Test
    void everythingTimedIsInSecondsAndAGaugeIsAGauge() throws IOException {
        registry.timer("seriatim.worker.comments.handler-time").update(250, TimeUnit.MILLISECONDS);
        registry.histogram("seriatim.worker.comments.end-to-end-latency-ms").update(1500);
        registry.register("seriatim.namespace.comments.oldest-ready-age-ms", (Gauge<Long>) () -> 2500L);
        registry.timer("seriatim.gateway.redis-time").update(4, TimeUnit.MILLISECONDS);
        Counter open = registry.counter("seriatim.gateway.connections");
        open.inc(3);
        open.dec();
        String text = text();
        assertThat(text)
                .contains("# TYPE seriatim_worker_handler_seconds summary")
                .contains("seriatim_worker_handler_seconds{namespace=\"comments\",quantile=\"0.99\"} 0.25")
                .contains("seriatim_worker_handler_seconds_count{namespace=\"comments\"} 1")
                .contains("seriatim_worker_end_to_end_latency_seconds{namespace=\"comments\",quantile=\"0.5\"} 1.5")
                .contains("seriatim_namespace_oldest_ready_age_seconds{namespace=\"comments\"} 2.5")
                .contains("seriatim_gateway_redis_seconds{quantile=\"0.5\"} 0.004")
                .contains("# TYPE seriatim_gateway_connections gauge")
                .contains("seriatim_gateway_connections 2")
                .doesNotContain("_ms").doesNotContain("seriatim_gateway_connections_total");
    }

    @Test
    void aRejectionReasonIsALabel() throws IOException {
        registry.meter("seriatim.gateway.rejected.unknown_namespace").mark(2);
        registry.meter("seriatim.gateway.rejected.batch_too_large");
        assertThat(text())
                .contains("seriatim_gateway_jobs_rejected_total{reason=\"unknown_namespace\"} 2")
                .contains("seriatim_gateway_jobs_rejected_total{reason=\"batch_too_large\"} 0");
    }

    @Test
    void anUnmappedNameIsStillExportedSanitisedWithAGenericHelp() throws IOException {
        registry.meter("com.example.saves-done").mark(5);
        registry.timer("com.example.save-time").update(2, TimeUnit.SECONDS);
        registry.register("com.example.pool.total", (Gauge<Integer>) () -> 4);
        registry.register("com.example.broken", (Gauge<Integer>) () -> {
            throw new IllegalStateException("not now");
        });
        registry.register("seriatim.worker.comments.something-new", (Gauge<Integer>) () -> 1);
        String text = text();
        assertThat(text)
                .contains("# HELP com_example_saves_done_total Dropwizard metric 'com.example.saves-done' (a meter, not described by Seriatim)")
                .contains("com_example_saves_done_total 5")
                .contains("com_example_save_time_seconds{quantile=\"0.5\"} 2")
                .contains("# TYPE com_example_pool gauge")
                .contains("com_example_pool 4")
                .contains("seriatim_worker_comments_something_new 1")
                .doesNotContain("com_example_broken");
    }

    @Test
    void everyMappedFamilyHasItsOwnNameAndAHelpOfOurOwn() {
        Set<String> names = new HashSet<>();
        for (Family f : Families.mapped()) {
            assertThat(names.add(f.name())).as("family names are unique: %s", f.name()).isTrue();
            assertThat(f.name()).matches("seriatim_[a-z_]+").doesNotEndWith("_total").doesNotEndWith("_ms");
            assertThat(f.help()).isNotBlank().doesNotContain("Dropwizard");
            if (f.divisor() != 1) {
                assertThat(f.name()).as("a converted family is in seconds").endsWith("_seconds");
            }
        }
    }

    @Test
    void sanitisingKeepsValidNamesAndDropsTypeSuffixes() {
        assertThat(Families.sanitise("a.b-c")).isEqualTo("a_b_c");
        assertThat(Families.sanitise("9lives")).isEqualTo("_9lives");
        assertThat(Families.sanitise("requests.total")).isEqualTo("requests");
        assertThat(Families.sanitise("x_info_total")).isEqualTo("x");
    }
}
