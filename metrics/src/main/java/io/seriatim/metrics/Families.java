package io.seriatim.metrics;

import static io.seriatim.metrics.Family.Type.COUNTER;
import static io.seriatim.metrics.Family.Type.GAUGE;
import static io.seriatim.metrics.Family.Type.INFO;
import static io.seriatim.metrics.Family.Type.SUMMARY;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one mapping from Seriatim's Dropwizard metric names to Prometheus families: each family's
 * name (with its unit), type, HELP text and labels. Dropwizard names keep what varies inside the
 * name ({@code seriatim.worker.<namespace>.acked}); Prometheus wants it as a label
 * ({@code seriatim_worker_jobs_acked_total{namespace="comments",worker="w1"}}), so that
 * {@code rate()} and {@code sum by (namespace)} work across namespaces and processes.
 *
 * <ul>
 *   <li>{@code seriatim.worker.<ns>.<metric>}: labels {@code namespace} and {@code worker} (the
 *       worker's id, read from the worker's own {@code seriatim.worker.<ns>.worker-id} gauge);</li>
 *   <li>{@code seriatim.namespace.<ns>.<metric>} (the sweeper): label {@code namespace};</li>
 *   <li>{@code seriatim.gateway.<metric>}: no label (a gateway serves every namespace and has no
 *       name of its own; Prometheus' {@code instance} tells gateways apart), except
 *       {@code seriatim.gateway.rejected.<reason>}: label {@code reason}.</li>
 * </ul>
 *
 * Any other name (a metric the embedding application registered itself, or one added to Seriatim
 * and not yet mapped here) is still exported: sanitised, typed by its Dropwizard kind (a timer in
 * seconds), with a HELP saying it is not described here. Nothing disappears.
 *
 * <p>Stateless and thread-safe.
 */
public final class Families {
    /** The kind of a Dropwizard metric, which decides an unmapped name's type. */
    public enum Kind { METER, COUNTER, GAUGE, HISTOGRAM, TIMER }

    /**
     * A Dropwizard metric as Prometheus sees it.
     *
     * @param labels label names to values, in the order written
     */
    public record Series(Family family, Map<String, String> labels) {
        public Series {
            labels = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(labels));
        }
    }

    /** A mapped name: the kind of metric Seriatim registers under it, and its family. */
    private record Entry(Kind kind, Family family) {}

    static final double NANOS = 1e9;
    static final double MILLIS = 1e3;

    /** {@code seriatim.worker.<ns>.<key>}: WorkerMetrics. */
    private static final Map<String, Entry> WORKER = Map.ofEntries(
            meter("acked", "seriatim_worker_jobs_acked",
                    "Jobs the handler ran and the worker acknowledged (removed from their key's list in Redis)."),
            meter("failed", "seriatim_worker_jobs_failed",
                    "Handler runs that failed: threw, or passed jobTimeout. Each is retried, dead-lettered or parks its key."),
            meter("retried", "seriatim_worker_jobs_retried",
                    "Failed jobs kept at their key's head to run again after a backoff (attempts left)."),
            meter("dead-lettered", "seriatim_worker_jobs_dead_lettered",
                    "Failed jobs moved to the dead-letter stream (policy SKIP, attempts used up or NonRetryableException)."),
            meter("parked", "seriatim_worker_keys_parked",
                    "Keys the worker parked because their head job used up its attempts (policy PARK)."),
            meter("stale", "seriatim_worker_leases_lost",
                    "Leases the worker found it no longer held (expired or taken over): it stopped the key before its next job."),
            meter("redis-errors", "seriatim_worker_redis_errors",
                    "Redis calls of the worker (claim, ack, fail, renew, release) that failed; each is retried."),
            meter("ack-calls", "seriatim_worker_ack_calls",
                    "Ack script calls; seriatim_worker_ack_keys_total / this is how many keys one call acknowledged."),
            meter("ack-keys", "seriatim_worker_ack_keys",
                    "Keys acknowledged by the ack script calls (a call gathers the acks of many keys)."),
            entry("handler-time", Kind.TIMER, new Family("seriatim_worker_handler_seconds", SUMMARY,
                    "Time the handler took per job, in seconds (quantiles of recent runs, exponentially decaying).", NANOS)),
            entry("end-to-end-latency-ms", Kind.HISTOGRAM, new Family("seriatim_worker_end_to_end_latency_seconds", SUMMARY,
                    "From a job's submit (Redis clock) to its handler's start, in seconds (quantiles over the last minute).",
                    MILLIS)),
            entry("keys-held", Kind.GAUGE, new Family("seriatim_worker_keys_held", GAUGE,
                    "Keys this worker holds a lease on now (at most its concurrency).", 1)),
            entry("worker-id", Kind.GAUGE, new Family("seriatim_worker", INFO,
                    "A worker serving the namespace: 1, its id in the label worker (as in leases and in seriatim inspect).", 1)));

    /** {@code seriatim.namespace.<ns>.<key>}: the sweeper's NamespaceGauges. */
    private static final Map<String, Entry> NAMESPACE = Map.ofEntries(
            gauge("pending-jobs", "seriatim_namespace_pending_jobs",
                    "Jobs enqueued and not yet acknowledged or dead-lettered (delayed ones included), as the sweeper last read Redis."),
            gauge("ready-keys", "seriatim_namespace_ready_keys", "Keys waiting to be claimed by a worker."),
            gauge("leased-keys", "seriatim_namespace_leased_keys",
                    "Keys a worker holds a lease on (running, or with an expired lease not yet taken back)."),
            gauge("parked-keys", "seriatim_namespace_parked_keys",
                    "Keys parked (by the failure policy PARK or an operator): none of their jobs runs until unpark."),
            gauge("expired-lease-keys", "seriatim_namespace_expired_lease_keys",
                    "Keys whose lease has expired and that the sweeper has not taken back yet."),
            gauge("stuck-keys", "seriatim_namespace_stuck_keys",
                    "Keys with jobs that will not run by themselves: parked, plus expired leases not yet taken back. "
                            + "Not counted: keys of a paused namespace, keys retrying, bookkeeping the repair pass mends."),
            gauge("dead-jobs", "seriatim_namespace_dead_jobs", "Jobs in the dead-letter stream (until replayed or purged)."),
            gauge("delayed-jobs", "seriatim_namespace_delayed_jobs", "Delayed jobs not yet due."),
            entry("oldest-ready-age-ms", Kind.GAUGE, new Family("seriatim_namespace_oldest_ready_age_seconds", GAUGE,
                    "How long the longest-waiting ready key has waited to be claimed, in seconds; 0 when none waits.", MILLIS)),
            gauge("paused", "seriatim_namespace_paused", "1 while the namespace is paused (no key is claimed), else 0."),
            meter("expired-leases-swept", "seriatim_sweeper_leases_expired",
                    "Expired leases this sweeper took back (each counts an attempt of the key's head job)."),
            meter("delayed-promoted", "seriatim_sweeper_delayed_promoted",
                    "Delayed jobs this sweeper moved to their key when due."),
            meter("scheduled-fired", "seriatim_sweeper_schedules_fired", "Cron ticks this sweeper enqueued."),
            meter("keys-repaired", "seriatim_sweeper_keys_repaired",
                    "Keys whose damaged bookkeeping this sweeper's repair pass mended (each is logged by name)."));

    /** {@code seriatim.gateway.<key>}: GatewayMetrics. */
    private static final Map<String, Entry> GATEWAY = Map.ofEntries(
            meter("jobs-submitted", "seriatim_gateway_jobs_submitted", "Jobs the gateway enqueued in Redis and acknowledged."),
            entry("batch-size", Kind.HISTOGRAM, new Family("seriatim_gateway_batch_jobs", SUMMARY,
                    "Jobs per submitted batch (quantiles of recent batches, exponentially decaying).", 1)),
            entry("redis-time", Kind.TIMER, new Family("seriatim_gateway_redis_seconds", SUMMARY,
                    "Time one batch's Redis pipeline took, in seconds (quantiles of recent batches, exponentially decaying).",
                    NANOS)),
            entry("connections", Kind.COUNTER, new Family("seriatim_gateway_connections", GAUGE,
                    "Client connections open now.", 1)),
            meter("connections-refused", "seriatim_gateway_connections_refused",
                    "Connections refused at accept: too many from one address."),
            meter("connections-overloaded", "seriatim_gateway_connections_overloaded",
                    "Connections closed with OVERLOADED: the process-wide budget for unfinished frames was used up."),
            meter("connections-idle-closed", "seriatim_gateway_connections_idle_closed",
                    "Connections closed for sending nothing after Hello, or for not reading their answers, for idleTimeout."),
            meter("bad-frames", "seriatim_gateway_bad_frames", "Frames that could not be decoded; the connection is closed."),
            meter("failures", "seriatim_gateway_failures",
                    "Errors caught on a gateway thread (each also logged); the batch is answered UNAVAILABLE."));

    private static final Family REJECTED = new Family("seriatim_gateway_jobs_rejected", COUNTER,
            "Jobs the gateway refused, by reason (batch_too_large counts batches, the other reasons jobs).", 1);

    private static final String WORKER_PREFIX = "seriatim.worker.";
    private static final String NAMESPACE_PREFIX = "seriatim.namespace.";
    private static final String GATEWAY_PREFIX = "seriatim.gateway.";
    private static final String REJECTED_PREFIX = "seriatim.gateway.rejected.";
    /** The worker gauge whose value is the worker's id: labels the worker's other metrics. */
    static final String WORKER_ID = "worker-id";

    /** Suffixes the text format adds by type; a name ending in one would read as another type. */
    private static final List<String> RESERVED_SUFFIXES = List.of("_total", "_created", "_bucket", "_info");

    private Families() {}

    /**
     * The namespace a worker's {@code worker-id} gauge is for, or null if {@code name} is not one:
     * the caller reads these first, to label the worker's other metrics.
     */
    public static String workerIdGaugeNamespace(String name) {
        if (name.startsWith(WORKER_PREFIX) && name.endsWith("." + WORKER_ID)) {
            String ns = name.substring(WORKER_PREFIX.length(), name.length() - WORKER_ID.length() - 1);
            return ns.isEmpty() ? null : ns;
        }
        return null;
    }

    /**
     * What the Dropwizard metric {@code name} of kind {@code kind} is exported as.
     *
     * @param workerIds each namespace's worker id, from the {@code worker-id} gauges; a worker
     *                  metric whose namespace has none is exported without the {@code worker} label
     */
    public static Series map(String name, Kind kind, Map<String, String> workerIds) {
        int lastDot = name.lastIndexOf('.');
        String last = name.substring(lastDot + 1);
        if (name.startsWith(REJECTED_PREFIX) && kind == Kind.METER && name.length() > REJECTED_PREFIX.length()) {
            return new Series(REJECTED, Map.of("reason", name.substring(REJECTED_PREFIX.length())));
        }
        if (name.startsWith(WORKER_PREFIX) && lastDot > WORKER_PREFIX.length()) {
            Entry e = WORKER.get(last);
            if (e != null && e.kind() == kind) {
                String ns = name.substring(WORKER_PREFIX.length(), lastDot);
                Map<String, String> labels = new LinkedHashMap<>();
                labels.put("namespace", ns);
                String id = workerIds.get(ns);
                if (id != null) {
                    labels.put("worker", id);
                }
                return new Series(e.family(), labels);
            }
        }
        if (name.startsWith(NAMESPACE_PREFIX) && lastDot > NAMESPACE_PREFIX.length()) {
            Entry e = NAMESPACE.get(last);
            if (e != null && e.kind() == kind) {
                return new Series(e.family(), Map.of("namespace", name.substring(NAMESPACE_PREFIX.length(), lastDot)));
            }
        }
        if (name.startsWith(GATEWAY_PREFIX)) {
            Entry e = GATEWAY.get(name.substring(GATEWAY_PREFIX.length()));
            if (e != null && e.kind() == kind) {
                return new Series(e.family(), Map.of());
            }
        }
        return unmapped(name, kind);
    }

    /** Every family of the mapping (unmapped names aside), for documentation and tests. */
    public static List<Family> mapped() {
        List<Family> all = new java.util.ArrayList<>();
        for (Map<String, Entry> table : List.of(WORKER, NAMESPACE, GATEWAY)) {
            table.values().forEach(e -> all.add(e.family()));
        }
        all.add(REJECTED);
        return all;
    }

    /** A name not in the mapping: sanitised, typed by its Dropwizard kind, a timer in seconds. */
    static Series unmapped(String name, Kind kind) {
        String base = sanitise(name);
        String help = "Dropwizard metric '" + name + "' (a " + kind.name().toLowerCase(Locale.ROOT)
                + ", not described by Seriatim)";
        Family f = switch (kind) {
            case METER -> new Family(base, COUNTER, help, 1);
            case COUNTER, GAUGE -> new Family(base, GAUGE, help, 1);
            case HISTOGRAM -> new Family(base, SUMMARY, help, 1);
            case TIMER -> new Family(base.endsWith("_seconds") ? base : base + "_seconds", SUMMARY, help + ", in seconds", NANOS);
        };
        return new Series(f, Map.of());
    }

    /**
     * A valid Prometheus name for {@code name}: each character outside {@code [a-zA-Z0-9_:]}
     * becomes {@code _}, a leading digit gets a {@code _} before it, and a type suffix the format
     * adds itself ({@code _total}, {@code _info}, ...) is dropped.
     */
    static String sanitise(String name) {
        StringBuilder b = new StringBuilder(name.length() + 1);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' || (c >= '0' && c <= '9');
            b.append(ok ? c : '_');
        }
        if (b.isEmpty() || (b.charAt(0) >= '0' && b.charAt(0) <= '9')) {
            b.insert(0, '_');
        }
        String s = b.toString();
        boolean stripped = true;
        while (stripped) {
            stripped = false;
            for (String suffix : RESERVED_SUFFIXES) {
                if (s.endsWith(suffix) && s.length() > suffix.length()) {
                    s = s.substring(0, s.length() - suffix.length());
                    stripped = true;
                }
            }
        }
        return s;
    }

    private static Map.Entry<String, Entry> meter(String key, String name, String help) {
        return entry(key, Kind.METER, new Family(name, COUNTER, help, 1));
    }

    private static Map.Entry<String, Entry> gauge(String key, String name, String help) {
        return entry(key, Kind.GAUGE, new Family(name, GAUGE, help, 1));
    }

    private static Map.Entry<String, Entry> entry(String key, Kind kind, Family family) {
        return Map.entry(key, new Entry(kind, family));
    }
}
