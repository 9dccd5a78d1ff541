package io.seriatim.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.Meter;
import com.codahale.metrics.Metric;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Snapshot;
import com.codahale.metrics.Timer;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot.InfoDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot.SummaryDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A Prometheus collector over a Dropwizard registry, each metric exported as {@link Families}
 * maps it: Seriatim's own under their families, names and labels, anything else sanitised.
 *
 * <p>An application with a Prometheus registry of its own registers it there
 * ({@code prometheusRegistry.register(new SeriatimCollector(dropwizardRegistry))}); otherwise
 * {@link MetricsEndpoint} serves it.
 *
 * <p>Thread-safe: each {@link #collect()} reads the registry afresh. A gauge whose value cannot
 * be read (one that throws) is left out of that scrape, not the whole scrape with it.
 */
public final class SeriatimCollector implements MultiCollector {
    private static final double[] QUANTILES = {0.5, 0.75, 0.95, 0.98, 0.99, 0.999};

    private final MetricRegistry registry;

    public SeriatimCollector(MetricRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public MetricSnapshots collect() {
        Map<String, Metric> metrics = registry.getMetrics();
        Map<String, String> workerIds = new HashMap<>();
        metrics.forEach((name, metric) -> {
            String ns = Families.workerIdGaugeNamespace(name);
            if (ns != null && metric instanceof Gauge<?> g && read(g) instanceof String id && !id.isEmpty()) {
                workerIds.put(ns, id);
            }
        });
        Map<String, FamilyPoints> families = new LinkedHashMap<>();
        metrics.forEach((name, metric) -> {
            Families.Kind kind = kindOf(metric);
            if (kind == null) {
                return;
            }
            Families.Series series = Families.map(name, kind, workerIds);
            FamilyPoints points = families.computeIfAbsent(series.family().name(), n -> new FamilyPoints(series.family()));
            if (points.family.type() != series.family().type()) {
                // An unmapped name that sanitises to a mapped family of another type: left out
                // rather than written as two types under one name.
                return;
            }
            points.add(metric, labels(series.labels()));
        });
        List<MetricSnapshot> out = new ArrayList<>();
        for (FamilyPoints f : families.values()) {
            MetricSnapshot s = f.snapshot();
            if (s != null) {
                out.add(s);
            }
        }
        return new MetricSnapshots(out);
    }

    private static Families.Kind kindOf(Metric metric) {
        // A Timer is also Metered and Sampling, so it is tested first.
        if (metric instanceof Timer) {
            return Families.Kind.TIMER;
        } else if (metric instanceof Meter) {
            return Families.Kind.METER;
        } else if (metric instanceof Histogram) {
            return Families.Kind.HISTOGRAM;
        } else if (metric instanceof Counter) {
            return Families.Kind.COUNTER;
        } else if (metric instanceof Gauge) {
            return Families.Kind.GAUGE;
        }
        return null;
    }

    private static Object read(Gauge<?> gauge) {
        try {
            return gauge.getValue();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Labels labels(Map<String, String> labels) {
        Labels.Builder b = Labels.builder();
        labels.forEach(b::label);
        return b.build();
    }

    /** One family's data points as they are read; each label set once. */
    private static final class FamilyPoints {
        final Family family;
        final Set<Labels> seen = new HashSet<>();
        final List<CounterDataPointSnapshot> counters = new ArrayList<>();
        final List<GaugeDataPointSnapshot> gauges = new ArrayList<>();
        final List<SummaryDataPointSnapshot> summaries = new ArrayList<>();
        final List<InfoDataPointSnapshot> infos = new ArrayList<>();

        FamilyPoints(Family family) {
            this.family = family;
        }

        void add(Metric metric, Labels labels) {
            switch (family.type()) {
                case COUNTER -> {
                    long count = metric instanceof Meter m ? m.getCount() : ((Counter) metric).getCount();
                    if (seen.add(labels)) {
                        counters.add(CounterDataPointSnapshot.builder().labels(labels).value((double) count).build());
                    }
                }
                case GAUGE -> {
                    // A gauge that cannot be read now (a user's that throws) is left out of this scrape.
                    Double v = metric instanceof Counter c ? Double.valueOf((double) c.getCount()) : number(read((Gauge<?>) metric));
                    if (v != null && seen.add(labels)) {
                        gauges.add(GaugeDataPointSnapshot.builder().labels(labels).value(v / family.divisor()).build());
                    }
                }
                case SUMMARY -> {
                    long count = metric instanceof Timer t ? t.getCount() : ((Histogram) metric).getCount();
                    Snapshot s = metric instanceof Timer t ? t.getSnapshot() : ((Histogram) metric).getSnapshot();
                    Quantiles.Builder q = Quantiles.builder();
                    for (double quantile : QUANTILES) {
                        q.quantile(quantile, s.getValue(quantile) / family.divisor());
                    }
                    if (seen.add(labels)) {
                        summaries.add(SummaryDataPointSnapshot.builder().labels(labels).count(count).quantiles(q.build()).build());
                    }
                }
                case INFO -> {
                    if (seen.add(labels)) {
                        infos.add(InfoDataPointSnapshot.builder().labels(labels).build());
                    }
                }
            }
        }

        /** The family's snapshot, or null if none of its metrics could be read. */
        MetricSnapshot snapshot() {
            Unit unit = family.name().endsWith("_seconds") ? Unit.SECONDS : family.name().endsWith("_bytes") ? Unit.BYTES : null;
            return switch (family.type()) {
                case COUNTER -> counters.isEmpty() ? null : withPoints(CounterSnapshot.builder()
                        .name(family.name()).help(family.help()).unit(unit), counters);
                case GAUGE -> gauges.isEmpty() ? null : withGaugePoints(GaugeSnapshot.builder()
                        .name(family.name()).help(family.help()).unit(unit), gauges);
                case SUMMARY -> summaries.isEmpty() ? null : withSummaryPoints(SummarySnapshot.builder()
                        .name(family.name()).help(family.help()).unit(unit), summaries);
                case INFO -> infos.isEmpty() ? null : withInfoPoints(InfoSnapshot.builder()
                        .name(family.name()).help(family.help()), infos);
            };
        }

        private static CounterSnapshot withPoints(CounterSnapshot.Builder b, List<CounterDataPointSnapshot> points) {
            points.forEach(b::dataPoint);
            return b.build();
        }

        private static GaugeSnapshot withGaugePoints(GaugeSnapshot.Builder b, List<GaugeDataPointSnapshot> points) {
            points.forEach(b::dataPoint);
            return b.build();
        }

        private static SummarySnapshot withSummaryPoints(SummarySnapshot.Builder b, List<SummaryDataPointSnapshot> points) {
            points.forEach(b::dataPoint);
            return b.build();
        }

        private static InfoSnapshot withInfoPoints(InfoSnapshot.Builder b, List<InfoDataPointSnapshot> points) {
            points.forEach(b::dataPoint);
            return b.build();
        }

        private static Double number(Object value) {
            return switch (value) {
                case Number n -> n.doubleValue();
                case Boolean b -> b ? 1.0 : 0.0;
                case null, default -> null;
            };
        }
    }
}
