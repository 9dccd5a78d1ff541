package io.seriatim.client;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Settings of a {@link Producer}, immutable and checked: each setter rejects a bad value naming
 * the setting, the value and the range, and {@link Builder#build()} checks how they combine.
 * Every limit and timeout is finite: no setting takes 0 to mean "none" (linger's 0 means "do not wait").
 *
 * @param host                gateway host
 * @param port                gateway port; default 7420
 * @param namespace           the namespace jobs go to
 * @param clientName          shown in gateway logs; default "seriatim-java"
 * @param authToken           the gateway's shared secret, or null
 * @param tls                 connect with TLS
 * @param trustCertificate    PEM certificate to trust (e.g. a self-signed gateway); null = the JDK's
 * @param linger              how long a partly filled batch waits for more jobs while an earlier batch
 *                            is unanswered (an idle connection sends at once); 0 = never wait; default 1 ms
 * @param maxBatchJobs        jobs per batch; default 1000
 * @param maxBufferedJobs     jobs submitted but not yet sent; submit() blocks when full; default 100,000
 * @param maxInFlight         batches sent and unanswered; default 16
 * @param requestTimeout      a submit not acknowledged by then fails with a timeout; default 30 s
 * @param bufferTimeout       how long submit() waits for buffer space before failing; default 10 s
 * @param connectTimeout      how long one connection attempt (TCP, not Hello) may take; {@link
 *                            Producer#connect} fails if its first attempt fails; 1 ms to 2^31 − 1 ms;
 *                            default 5 s
 * @param reconnectBackoff    the wait before the first reconnect attempt, doubling per failed attempt up
 *                            to reconnectMax; at least 1 ms; default 50 ms
 * @param reconnectMax        longest wait between reconnect attempts; default 5 s
 * @param timeoutScanInterval how often pending submits are checked against requestTimeout, so a submit
 *                            fails up to this much after its timeout; at least 1 ms, at most
 *                            requestTimeout; default 100 ms
 * @param closeTimeout        how long close() waits for pending submits; default 10 s
 * @param closeJoin           how long close() then waits for each of the producer's two threads to
 *                            stop; default 2 s
 * @param maxAnswerBytes      the largest frame accepted from the gateway, in bytes: a longer one closes
 *                            the connection and fails its unanswered submits with {@link
 *                            SubmitException.Code#BAD_ANSWER}. An answer takes at most 13 bytes a job
 *                            that got an id, plus each rejection's reason: some 13 KB for a default batch;
 *                            1 KiB to 2^31 − 1; default 16 MiB, the gateway's own default frame limit
 */
public record ProducerSettings(String host, int port, String namespace, String clientName, String authToken,
        boolean tls, Path trustCertificate, Duration linger, int maxBatchJobs, int maxBufferedJobs, int maxInFlight,
        Duration requestTimeout, Duration bufferTimeout, Duration connectTimeout, Duration reconnectBackoff,
        Duration reconnectMax, Duration timeoutScanInterval, Duration closeTimeout, Duration closeJoin,
        int maxAnswerBytes) {

    private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final long MAX_CONNECT_MILLIS = Integer.MAX_VALUE;
    private static final int MIN_ANSWER_BYTES = 1024;

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
        checkConnectTimeout(connectTimeout);
        atLeastAMilli("reconnectBackoff", reconnectBackoff);
        positive("reconnectMax", reconnectMax);
        atLeastAMilli("timeoutScanInterval", timeoutScanInterval);
        positive("closeTimeout", closeTimeout);
        positive("closeJoin", closeJoin);
        range("maxAnswerBytes", maxAnswerBytes, MIN_ANSWER_BYTES, Integer.MAX_VALUE);
        notLonger("reconnectBackoff", reconnectBackoff, "reconnectMax", reconnectMax);
        notLonger("timeoutScanInterval", timeoutScanInterval, "requestTimeout", requestTimeout);
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

    /** These run on millisecond timers, where less than 1 ms would be 0: a busy loop. */
    private static void atLeastAMilli(String name, Duration d) {
        if (d == null || d.compareTo(Duration.ofMillis(1)) < 0) {
            throw new IllegalArgumentException(name + " must be at least 1 ms, got " + d);
        }
    }

    /** Netty takes it as an int of milliseconds, and 0 there would mean no timeout at all. */
    private static void checkConnectTimeout(Duration d) {
        if (d == null || d.compareTo(Duration.ofMillis(1)) < 0 || d.compareTo(Duration.ofMillis(MAX_CONNECT_MILLIS)) > 0) {
            throw new IllegalArgumentException("connectTimeout must be in [1 ms, " + MAX_CONNECT_MILLIS + " ms], got " + d);
        }
    }

    private static void notLonger(String name, Duration d, String boundName, Duration bound) {
        if (d.compareTo(bound) > 0) {
            throw new IllegalArgumentException(name + " (" + d + ") must not be longer than " + boundName + " (" + bound + ")");
        }
    }

    /** Builds {@link ProducerSettings}; each setter checks its value at once, {@link #build()} the combinations. */
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
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration reconnectBackoff = Duration.ofMillis(50);
        private Duration reconnectMax = Duration.ofSeconds(5);
        private Duration timeoutScanInterval = Duration.ofMillis(100);
        private Duration closeTimeout = Duration.ofSeconds(10);
        private Duration closeJoin = Duration.ofSeconds(2);
        private int maxAnswerBytes = 16 * 1024 * 1024;

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
        public Builder connectTimeout(Duration v) { checkConnectTimeout(v); connectTimeout = v; return this; }
        public Builder reconnectBackoff(Duration v) { atLeastAMilli("reconnectBackoff", v); reconnectBackoff = v; return this; }
        public Builder reconnectMax(Duration v) { positive("reconnectMax", v); reconnectMax = v; return this; }
        public Builder timeoutScanInterval(Duration v) { atLeastAMilli("timeoutScanInterval", v); timeoutScanInterval = v; return this; }
        public Builder closeTimeout(Duration v) { positive("closeTimeout", v); closeTimeout = v; return this; }
        public Builder closeJoin(Duration v) { positive("closeJoin", v); closeJoin = v; return this; }
        public Builder maxAnswerBytes(int v) { range("maxAnswerBytes", v, MIN_ANSWER_BYTES, Integer.MAX_VALUE); maxAnswerBytes = v; return this; }

        public ProducerSettings build() {
            return new ProducerSettings(host, port, namespace, clientName, authToken, tls, trustCertificate, linger,
                    maxBatchJobs, maxBufferedJobs, maxInFlight, requestTimeout, bufferTimeout, connectTimeout,
                    reconnectBackoff, reconnectMax, timeoutScanInterval, closeTimeout, closeJoin, maxAnswerBytes);
        }
    }
}
