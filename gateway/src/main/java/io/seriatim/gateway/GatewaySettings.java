package io.seriatim.gateway;

import static io.seriatim.core.settings.Check.positive;
import static io.seriatim.core.settings.Check.range;

import io.seriatim.core.redis.RedisSettings;
import io.seriatim.core.settings.StatedSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Settings of a producer gateway, immutable and checked: each setter rejects a bad value naming
 * the setting, the value and the range; {@link Builder#build()} checks that TLS files exist.
 *
 * @param host                   address to listen on; default 127.0.0.1 (loopback: another address
 *                               is a choice to make, and one without authToken is warned about)
 * @param port                   TCP port; default 7420; 0 picks a free one
 * @param authToken              shared secret every client must present in Hello; null = none
 * @param maxFrameBytes          largest frame accepted, checked from the length prefix before
 *                               anything is allocated; default 16 MiB
 * @param maxInFlight            batches one connection may have unanswered; past it the gateway
 *                               stops reading that socket (backpressure); default 64
 * @param maxConnectionsPerAddress connections from one client IP; default 1000
 * @param helloTimeout           time a new connection has to send Hello; default 5 s
 * @param frameTimeout           time a started frame has to arrive in full (slow senders); default 30 s
 * @param redisThreads           threads running Redis calls for all connections; default 8
 * @param waitReplicas           replicas every submit must reach before it is acknowledged (Redis
 *                               WAIT); default 0
 * @param waitTimeout            how long WAIT may take on each master a submit wrote to; default
 *                               1 s; with waitReplicas, at least {@link #WAIT_MARGIN} shorter
 *                               than the Redis socket timeout
 * @param tlsCertificate         PEM certificate chain; with tlsKey, turns TLS on; null = plain TCP
 * @param tlsKey                 PEM PKCS#8 private key
 * @param namespaces             namespaces whose settings this gateway is started with: checked
 *                               against the stored ones at start, which refuses the gateway if
 *                               they differ; default none. Every namespace, these and any other, is
 *                               served with the settings stored in Redis
 * @param maxBatchJobs           jobs one SubmitBatch may carry: a longer batch is refused whole
 *                               with one small answer (BATCH_TOO_LARGE), which bounds the work and
 *                               the answer one frame can ask for; default 10,000
 * @param maxInFlightBytes       bytes one connection may have in flight in each direction: read and
 *                               not yet answered (partial frame included) inbound, past which the
 *                               gateway stops reading it; written and not yet taken by the socket
 *                               outbound (Netty's high water mark), past which it stops both
 *                               reading and starting batches; at least maxFrameBytes; default 32 MiB
 * @param maxPartialFrameBytes   bytes of unfinished frames all connections together may hold: a
 *                               connection whose partial frame would pass it is closed with
 *                               OVERLOADED; at least maxFrameBytes; default 256 MiB
 * @param idleTimeout            time after Hello a connection may send nothing while nothing of it
 *                               is unanswered before it is closed with TIMEOUT; default 60 s
 */
public record GatewaySettings(RedisSettings redis, String host, int port, String authToken, int maxFrameBytes,
        int maxInFlight, int maxConnectionsPerAddress, Duration helloTimeout, Duration frameTimeout, int redisThreads,
        int waitReplicas, Duration waitTimeout, Path tlsCertificate, Path tlsKey, List<StatedSettings> namespaces,
        int maxBatchJobs, long maxInFlightBytes, long maxPartialFrameBytes, Duration idleTimeout) {

    /** The largest maxBatchJobs: an answer to it (one result a job, each reason cut to 300 characters) stays some 300 MB at worst. */
    public static final int MAX_BATCH_JOBS = 1_000_000;

    /**
     * How much longer than WAIT's timeout the socket waits for its answer: Redis answers a WAIT
     * that timed out on its next event-loop turn (every 100 ms at the default hz), and the reply
     * still has to travel.
     */
    public static final Duration WAIT_MARGIN = Duration.ofMillis(500);

    public GatewaySettings {
        Objects.requireNonNull(redis, "redis");
        Objects.requireNonNull(host, "host");
        range("port", port, 0, 65535);
        range("maxFrameBytes", maxFrameBytes, 1024, 512 * 1024 * 1024);
        range("maxInFlight", maxInFlight, 1, 100_000);
        range("maxConnectionsPerAddress", maxConnectionsPerAddress, 1, 1_000_000);
        positive("helloTimeout", helloTimeout);
        positive("frameTimeout", frameTimeout);
        positive("idleTimeout", idleTimeout);
        range("redisThreads", redisThreads, 1, 1024);
        range("maxBatchJobs", maxBatchJobs, 1, MAX_BATCH_JOBS);
        atLeastAFrame("maxInFlightBytes", maxInFlightBytes, maxFrameBytes);
        atLeastAFrame("maxPartialFrameBytes", maxPartialFrameBytes, maxFrameBytes);
        range("waitReplicas", waitReplicas, 0, 100);
        positive("waitTimeout", waitTimeout);
        if (waitReplicas > 0 && waitTimeout.plus(WAIT_MARGIN).compareTo(redis.socketTimeout()) > 0) {
            throw new IllegalArgumentException("waitTimeout (--wait-timeout, " + waitTimeout.toMillis()
                    + " ms) must be at least " + WAIT_MARGIN.toMillis() + " ms shorter than the Redis socket timeout"
                    + " (--redis-timeout, " + redis.socketTimeout().toMillis() + " ms): a WAIT that outlasts its"
                    + " socket fails as Redis unavailable instead of answering how many replicas confirmed");
        }
        if ((tlsCertificate == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("TLS needs both tlsCertificate and tlsKey, got only one");
        }
        for (Path p : new Path[] {tlsCertificate, tlsKey}) {
            if (p != null && !Files.isReadable(p)) {
                throw new IllegalArgumentException("TLS file " + p + " is not readable");
            }
        }
        if (authToken != null && authToken.isEmpty()) {
            throw new IllegalArgumentException("authToken must not be empty (null = no authentication)");
        }
        namespaces = List.copyOf(namespaces);
        Set<String> names = new HashSet<>();
        for (StatedSettings ns : namespaces) {
            if (!names.add(ns.name())) {
                throw new IllegalArgumentException("namespace '" + ns.name() + "' is given twice");
            }
        }
    }

    /** A budget smaller than one frame could never let a frame of the largest size in. */
    private static void atLeastAFrame(String name, long bytes, int maxFrameBytes) {
        range(name, bytes, 1024, 1L << 40);
        if (bytes < maxFrameBytes) {
            throw new IllegalArgumentException(name + " (" + bytes + ") must be at least maxFrameBytes (" + maxFrameBytes
                    + "): it must hold one frame of the largest size");
        }
    }

    /**
     * A warning to log when this gateway listens beyond loopback without a token (anyone who can
     * reach the port can submit jobs), or null. An unresolvable host gives null: the bind says why.
     */
    public String exposureWarning() {
        if (authToken != null) {
            return null;
        }
        try {
            if (java.net.InetAddress.getByName(host).isLoopbackAddress()) {
                return null;
            }
        } catch (java.net.UnknownHostException e) {
            return null;
        }
        return "WARNING: the gateway listens on " + host + " without an auth token: anyone who can reach port " + port
                + " can submit jobs. Set --auth-token (SERIATIM_AUTH_TOKEN), and TLS beyond a trusted network, or listen"
                + " on 127.0.0.1";
    }

    public boolean tls() {
        return tlsCertificate != null;
    }

    public static Builder builder(RedisSettings redis) {
        return new Builder(redis);
    }

    /** Builds {@link GatewaySettings}. */
    public static final class Builder {
        private final RedisSettings redis;
        private String host = "127.0.0.1";
        private int port = 7420;
        private String authToken;
        private int maxFrameBytes = 16 * 1024 * 1024;
        private int maxInFlight = 64;
        private int maxConnectionsPerAddress = 1000;
        private Duration helloTimeout = Duration.ofSeconds(5);
        private Duration frameTimeout = Duration.ofSeconds(30);
        private int redisThreads = 8;
        private int waitReplicas;
        private Duration waitTimeout = Duration.ofSeconds(1);
        private Path tlsCertificate;
        private Path tlsKey;
        private List<StatedSettings> namespaces = List.of();
        private int maxBatchJobs = 10_000;
        private long maxInFlightBytes = 32L * 1024 * 1024;
        private long maxPartialFrameBytes = 256L * 1024 * 1024;
        private Duration idleTimeout = Duration.ofSeconds(60);

        private Builder(RedisSettings redis) {
            this.redis = Objects.requireNonNull(redis, "redis");
        }

        public Builder host(String host) { this.host = Objects.requireNonNull(host, "host"); return this; }
        public Builder port(int port) { range("port", port, 0, 65535); this.port = port; return this; }
        public Builder authToken(String token) {
            if (token != null && token.isEmpty()) {
                throw new IllegalArgumentException("authToken must not be empty (null = no authentication)");
            }
            this.authToken = token;
            return this;
        }
        public Builder maxFrameBytes(int n) { range("maxFrameBytes", n, 1024, 512 * 1024 * 1024); maxFrameBytes = n; return this; }
        public Builder maxInFlight(int n) { range("maxInFlight", n, 1, 100_000); maxInFlight = n; return this; }
        public Builder maxConnectionsPerAddress(int n) {
            range("maxConnectionsPerAddress", n, 1, 1_000_000);
            maxConnectionsPerAddress = n;
            return this;
        }
        public Builder helloTimeout(Duration d) { positive("helloTimeout", d); helloTimeout = d; return this; }
        public Builder frameTimeout(Duration d) { positive("frameTimeout", d); frameTimeout = d; return this; }
        public Builder maxBatchJobs(int n) { range("maxBatchJobs", n, 1, MAX_BATCH_JOBS); maxBatchJobs = n; return this; }
        /** Checked against maxFrameBytes by {@link #build()}. */
        public Builder maxInFlightBytes(long n) { maxInFlightBytes = n; return this; }
        /** Checked against maxFrameBytes by {@link #build()}. */
        public Builder maxPartialFrameBytes(long n) { maxPartialFrameBytes = n; return this; }
        public Builder idleTimeout(Duration d) { positive("idleTimeout", d); idleTimeout = d; return this; }
        public Builder redisThreads(int n) { range("redisThreads", n, 1, 1024); redisThreads = n; return this; }
        public Builder waitReplicas(int n, Duration timeout) {
            range("waitReplicas", n, 0, 100);
            positive("waitTimeout", timeout);
            waitReplicas = n;
            waitTimeout = timeout;
            return this;
        }
        public Builder tls(Path certificate, Path key) { tlsCertificate = certificate; tlsKey = key; return this; }
        public Builder namespaces(List<StatedSettings> namespaces) {
            this.namespaces = List.copyOf(Objects.requireNonNull(namespaces, "namespaces"));
            return this;
        }

        public GatewaySettings build() {
            return new GatewaySettings(redis, host, port, authToken, maxFrameBytes, maxInFlight, maxConnectionsPerAddress,
                    helloTimeout, frameTimeout, redisThreads, waitReplicas, waitTimeout, tlsCertificate, tlsKey, namespaces,
                    maxBatchJobs, maxInFlightBytes, maxPartialFrameBytes, idleTimeout);
        }
    }
}
