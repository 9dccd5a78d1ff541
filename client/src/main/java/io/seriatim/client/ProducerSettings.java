package io.seriatim.client;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Settings of a {@link Producer}, immutable and checked: each setter rejects a bad value naming
 * the setting, the value and the range.
 *
 * @param host            gateway host
 * @param port            gateway port; default 7420
 * @param namespace       the namespace jobs go to
 * @param clientName      shown in gateway logs; default "seriatim-java"
 * @param authToken       the gateway's shared secret, or null
 * @param tls             connect with TLS
 * @param trustCertificate PEM certificate to trust (e.g. a self-signed gateway); null = the JDK's
 * @param linger          how long a partly filled batch waits for more jobs while an earlier batch
 *                        is unanswered (an idle connection sends at once); default 1 ms
 * @param maxBatchJobs    jobs per batch; default 1000
 * @param maxBufferedJobs jobs submitted but not yet sent; submit() blocks when full; default 100,000
 * @param maxInFlight     batches sent and unanswered; default 16
 * @param requestTimeout  a submit not acknowledged by then fails with a timeout; default 30 s
 * @param bufferTimeout   how long submit() waits for buffer space before failing; default 10 s
 * @param reconnectMax    longest wait between reconnect attempts (doubling from 50 ms); default 5 s
 * @param closeTimeout    how long close() waits for pending submits; default 10 s
 */
public record ProducerSettings(String host, int port, String namespace, String clientName, String authToken,
        boolean tls, Path trustCertificate, Duration linger, int maxBatchJobs, int maxBufferedJobs, int maxInFlight,
        Duration requestTimeout, Duration bufferTimeout, Duration reconnectMax, Duration closeTimeout) {

    private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    public ProducerSettings {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must not be empty");
        }
        range("port", port, 1, 65535);
        if (namespace == null || !NAMESPACE.matcher(namespace).matches()) {
            throw new IllegalArgumentException("namespace must be 1-64 characters of [A-Za-z0-9_.-], got '" + namespace + "'");
        }
        Objects.requireNonNull(clientName, "clientName");
        if (trustCertificate != null && !Files.isReadable(trustCertificate)) {
            throw new IllegalArgumentException("trustCertificate " + trustCertificate + " is not readable");
        }
        if (linger == null || linger.isNegative()) {
            throw new IllegalArgumentException("linger must be >= 0, got " + linger);
        }
        range("maxBatchJobs", maxBatchJobs, 1, 100_000);
        range("maxBufferedJobs", maxBufferedJobs, 1, 100_000_000);
        range("maxInFlight", maxInFlight, 1, 10_000);
        positive("requestTimeout", requestTimeout);
        positive("bufferTimeout", bufferTimeout);
        positive("reconnectMax", reconnectMax);
        positive("closeTimeout", closeTimeout);
    }

    public static Builder builder(String host, int port, String namespace) {
        return new Builder(host, port, namespace);
    }

    private static void range(String name, long v, long min, long max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], got " + v);
        }
    }

    private static void positive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be > 0, got " + d);
        }
    }

    /** Builds {@link ProducerSettings}. */
    public static final class Builder {
        private final String host;
        private final int port;
        private final String namespace;
        private String clientName = "seriatim-java";
        private String authToken;
        private boolean tls;
        private Path trustCertificate;
        private Duration linger = Duration.ofMillis(1);
        private int maxBatchJobs = 1000;
        private int maxBufferedJobs = 100_000;
        private int maxInFlight = 16;
        private Duration requestTimeout = Duration.ofSeconds(30);
        private Duration bufferTimeout = Duration.ofSeconds(10);
        private Duration reconnectMax = Duration.ofSeconds(5);
        private Duration closeTimeout = Duration.ofSeconds(10);

        private Builder(String host, int port, String namespace) {
            this.host = host;
            this.port = port;
            this.namespace = namespace;
        }

        public Builder clientName(String v) { clientName = Objects.requireNonNull(v, "clientName"); return this; }
        public Builder authToken(String v) { authToken = v; return this; }
        /** TLS; {@code trust} is a PEM certificate to trust, or null for the JDK's trust store. */
        public Builder tls(Path trust) { tls = true; trustCertificate = trust; return this; }
        public Builder linger(Duration v) { linger = v; return this; }
        public Builder maxBatchJobs(int v) { range("maxBatchJobs", v, 1, 100_000); maxBatchJobs = v; return this; }
        public Builder maxBufferedJobs(int v) { range("maxBufferedJobs", v, 1, 100_000_000); maxBufferedJobs = v; return this; }
        public Builder maxInFlight(int v) { range("maxInFlight", v, 1, 10_000); maxInFlight = v; return this; }
        public Builder requestTimeout(Duration v) { positive("requestTimeout", v); requestTimeout = v; return this; }
        public Builder bufferTimeout(Duration v) { positive("bufferTimeout", v); bufferTimeout = v; return this; }
        public Builder reconnectMax(Duration v) { positive("reconnectMax", v); reconnectMax = v; return this; }
        public Builder closeTimeout(Duration v) { positive("closeTimeout", v); closeTimeout = v; return this; }

        public ProducerSettings build() {
            return new ProducerSettings(host, port, namespace, clientName, authToken, tls, trustCertificate, linger,
                    maxBatchJobs, maxBufferedJobs, maxInFlight, requestTimeout, bufferTimeout, reconnectMax, closeTimeout);
        }
    }
}
