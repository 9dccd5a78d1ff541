package io.seriatim.gateway;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import io.seriatim.client.Producer;
import io.seriatim.client.SubmitException;
import io.seriatim.core.queue.KeyedQueue;
import io.seriatim.core.settings.NamespaceSettings;
import io.seriatim.proto.v1.Envelope;
import io.seriatim.proto.v1.Error;
import io.seriatim.proto.v1.JobResult;
import io.seriatim.proto.v1.Ping;
import io.seriatim.proto.v1.Rejection;
import io.seriatim.proto.v1.SubmitBatch;
import io.seriatim.proto.v1.SubmitJob;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bounds of issue 17 part 3: jobs per batch, delays, headers, in-flight bytes both ways,
 * partial frames, idle connections; each refused input gets a clear answer and enqueues nothing.
 */
class GatewayLimitsTest extends GatewayTestSupport {
    KeyedQueue q;

    @BeforeEach
    void namespace() {
        q = queue();
    }

    private static Envelope batch(long id, String namespace, SubmitJob.Builder... jobs) {
        SubmitBatch.Builder b = SubmitBatch.newBuilder().setRequestId(id).setNamespace(namespace);
        for (SubmitJob.Builder j : jobs) {
            b.addJobs(j);
        }
        return Envelope.newBuilder().setSubmit(b).build();
    }

    private long enqueued() {
        return q.counts().counters().getOrDefault("enqueued", 0L);
    }

    @Test
    void aBatchOverTheJobLimitIsRefusedWholeWithOneSmallAnswerAndTheConnectionGoesOn() throws Exception {
        GatewayServer g = gateway(gatewaySettings().maxBatchJobs(100).build());
        try (RawConnection c = new RawConnection(g.port())) {
            c.hello(null);
            assertThat(c.read().getHelloOk().getMaxBatchJobs()).isEqualTo(100);
            SubmitBatch.Builder big = SubmitBatch.newBuilder().setRequestId(7).setNamespace(NS);
            for (int i = 0; i < 101; i++) {
                big.addJobs(SubmitJob.newBuilder().setKey("k").setPayload(ByteString.copyFromUtf8("x")));
            }
            c.send(Envelope.newBuilder().setSubmit(big).build());
            Envelope answer = c.read();
            assertThat(answer.getSerializedSize()).isLessThan(300);
            assertThat(answer.getResults().getRequestId()).isEqualTo(7);
            assertThat(answer.getResults().getResultsCount()).isZero();
            assertThat(answer.getResults().getRefused().getCode()).isEqualTo(Rejection.Code.BATCH_TOO_LARGE);
            assertThat(answer.getResults().getRefused().getReason()).isEqualTo("a batch of 101 jobs is over the limit of"
                    + " 100 jobs per batch (HelloOk.max_batch_jobs): nothing of it was enqueued; split it");
            c.send(batch(8, NS, SubmitJob.newBuilder().setKey("k").setPayload(ByteString.copyFromUtf8("y"))));
            assertThat(c.read().getResults().getResults(0).getJobId()).isPositive();
        }
        assertThat(payloads(q, "k")).containsExactly("y");
    }

    /** 8.4M empty jobs in one frame once needed a 243 MB answer; now they need one line. */
    @Test
    void millionsOfEmptyJobsInOneFrameGetOneLineAndTheGatewayServesOn() throws Exception {
        GatewayServer g = gateway(gatewaySettings().build());
        // 4M empty SubmitJobs (tag 0x1A, length 0) in an 8 MB SubmitBatch, written by hand: counted, never parsed.
        int jobs = 4_000_000;
        byte[] body = new byte[jobs * 2];
        for (int i = 0; i < jobs; i++) {
            body[2 * i] = 0x1A;
        }
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(frame);
        int submitLength = body.length;
        out.writeUInt32NoTag(1 + CodedOutputStream.computeUInt32SizeNoTag(submitLength) + submitLength);
        out.writeTag(3, 2); // Envelope.submit
        out.writeUInt32NoTag(submitLength);
        out.flush();
        frame.write(body);
        try (RawConnection c = new RawConnection(g.port())) {
            c.hello(null);
            c.read();
            c.write(frame.toByteArray());
            Envelope answer = c.read();
            assertThat(answer.getResults().getRefused().getCode()).isEqualTo(Rejection.Code.BATCH_TOO_LARGE);
            assertThat(answer.getResults().getResultsCount()).isZero();
        }
        Producer p = producer(producerSettings(g.port()).build());
        assertThat(p.submit("canary", "ok".getBytes(UTF_8)).get(10, TimeUnit.SECONDS)).isPositive();
        assertThat(enqueued()).isEqualTo(1);
    }

    @Test
    void delaysThatWrapOrReachPastTenYearsAreRefusedAndNothingRunsAtOnce() throws Exception {
        GatewayServer g = gateway(gatewaySettings().build());
        try (RawConnection c = new RawConnection(g.port())) {
            c.hello(null);
            c.read();
            c.send(batch(1, NS,
                    SubmitJob.newBuilder().setKey("d").setDelayMs(-1L), // 2^64 - 1 as a uint64
                    SubmitJob.newBuilder().setKey("d").setDelayMs(1L << 63),
                    SubmitJob.newBuilder().setKey("d").setDelayMs(BatchEnqueuer.MAX_DELAY_MS + 1),
                    SubmitJob.newBuilder().setKey("d").setRunAtMs(Long.MAX_VALUE),
                    SubmitJob.newBuilder().setKey("d").setRunAtMs(-5)));
            List<JobResult> results = c.read().getResults().getResultsList();
            assertThat(results).hasSize(5).allSatisfy(r -> assertThat(r.getRejected().getCode()).isEqualTo(Rejection.Code.INVALID));
            assertThat(results.get(0).getRejected().getReason())
                    .isEqualTo("delay_ms must be in [0, 315360000000] (ten years), got 18446744073709551615");
            assertThat(results.get(1).getRejected().getReason()).endsWith("got 9223372036854775808");
            assertThat(results.get(3).getRejected().getReason()).startsWith("run_at_ms must be >= 0 and at most ten years");
        }
        assertThat(enqueued()).isZero();
        assertThat(q.inspect("d", 10).pending()).isZero();
    }

    @Test
    void aHeaderOverThePayloadLimitIsRefused() throws Exception {
        KeyedQueue.open(redis.client(), NamespaceSettings.builder("small").maxPayloadBytes(1000).build());
        GatewayServer g = gateway(gatewaySettings().build());
        try (RawConnection c = new RawConnection(g.port())) {
            c.hello(null);
            c.read();
            c.send(batch(1, "small", SubmitJob.newBuilder().setKey("h").putHeaders("trace", "x".repeat(100_000)),
                    SubmitJob.newBuilder().setKey("h").putHeaders("trace", "fine")));
            List<JobResult> results = c.read().getResults().getResultsList();
            assertThat(results.get(0).getRejected().getReason())
                    .startsWith("headers are 100005 bytes (names and values), over the limit of 1000");
            assertThat(results.get(1).getJobId()).isPositive();
        }
    }

    @Test
    void aLongNamespaceNameIsNotEchoedIntoEveryResult() throws Exception {
        GatewayServer g = gateway(gatewaySettings().build());
        try (RawConnection c = new RawConnection(g.port())) {
            c.hello(null);
            c.read();
            SubmitJob.Builder[] jobs = new SubmitJob.Builder[1000];
            java.util.Arrays.fill(jobs, SubmitJob.newBuilder().setKey("k"));
            c.send(batch(1, "n".repeat(100_000), jobs));
            Envelope answer = c.read();
            assertThat(answer.getResults().getResultsCount()).isEqualTo(1000);
            assertThat(answer.getResults().getResults(0).getRejected().getReason().length())
                    .isLessThanOrEqualTo(BatchEnqueuer.MAX_REASON_CHARS + 3);
        }
    }

    @Test
    void aFrameOverTheHelloLimitBeforeHelloIsRefused() throws Exception {
        GatewayServer g = gateway(gatewaySettings().build());
        try (RawConnection c = new RawConnection(g.port())) {
            ByteArrayOutputStream prefix = new ByteArrayOutputStream();
            CodedOutputStream out = CodedOutputStream.newInstance(prefix);
            out.writeUInt32NoTag(SessionHandler.HELLO_MAX_FRAME_BYTES + 1);
            out.flush();
            c.write(prefix.toByteArray());
            assertThat(c.readUntilClosed().getError().getCode()).isEqualTo(Error.Code.BAD_FRAME);
        }
    }

    @Test
    void anIdleConnectionIsClosedAfterItsTimeoutAndOneThatPingsIsKept() throws Exception {
        GatewayServer g = gateway(gatewaySettings().idleTimeout(Duration.ofMillis(600)).build());
        try (RawConnection idle = new RawConnection(g.port()); RawConnection pinging = new RawConnection(g.port())) {
            idle.hello(null);
            assertThat(idle.read().getHelloOk().getIdleTimeoutMs()).isEqualTo(600);
            pinging.hello(null);
            pinging.read();
            for (int i = 0; i < 8; i++) { // 1.6 s: more than twice the timeout
                Thread.sleep(200);
                pinging.send(Envelope.newBuilder().setPing(Ping.newBuilder().setNonce(i)).build());
                assertThat(pinging.read().getPong().getNonce()).isEqualTo(i);
            }
            Envelope last = idle.readUntilClosed();
            assertThat(last.getError().getCode()).isEqualTo(Error.Code.TIMEOUT);
            assertThat(last.getError().getMessage()).startsWith("idle for PT0.6S");
        }
        // The Java producer pings by itself: an idle one keeps its connection and submits at once.
        Producer p = producer(producerSettings(g.port()).build());
        Thread.sleep(1500);
        assertThat(p.submit("after-idle", "x".getBytes(UTF_8)).get(5, TimeUnit.SECONDS)).isPositive();
        assertThat(metrics.meter("seriatim.gateway.connections-idle-closed").getCount()).isEqualTo(1);
    }

    @Test
    void partialFramesOverTheProcessBudgetCloseTheConnectionThatPassesItWithOverloaded() throws Exception {
        int frame = 256 * 1024;
        GatewayServer g = gateway(gatewaySettings().maxFrameBytes(frame).maxInFlightBytes(frame)
                .maxPartialFrameBytes(frame + frame / 2).build());
        try (RawConnection a = new RawConnection(g.port()); RawConnection b = new RawConnection(g.port())) {
            a.hello(null);
            a.read();
            b.hello(null);
            b.read();
            a.write(prefixAndBytes(frame, frame - 10)); // holds ~256 KiB
            Thread.sleep(300);
            b.write(prefixAndBytes(frame, frame - 10)); // would make ~512 KiB: over 384 KiB
            Envelope last = b.readUntilClosed();
            assertThat(last.getError().getCode()).isEqualTo(Error.Code.OVERLOADED);
            assertThat(last.getError().getMessage()).startsWith("the gateway's memory for unfinished frames (393216 bytes");
        }
        // Both gone: their bytes are given back, and a new connection may hold a frame again.
        Thread.sleep(300);
        try (RawConnection c = new RawConnection(g.port())) {
            c.hello(null);
            c.read();
            c.write(prefixAndBytes(frame, frame - 10));
            c.socket.setSoTimeout(500);
            assertThat(org.assertj.core.api.Assertions.catchThrowable(c::read))
                    .isInstanceOf(java.net.SocketTimeoutException.class);
        }
    }

    private static byte[] prefixAndBytes(int length, int send) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(b);
        out.writeUInt32NoTag(length);
        out.flush();
        b.write(new byte[send]);
        return b.toByteArray();
    }

    /**
     * A client that never reads: the gateway stops making answers once they pile up, stops reading
     * it, and serves it all in order once it reads again. Bounded: fewer batches are answered than
     * were sent while it does not read.
     */
    @Test
    void aClientThatDoesNotReadIsHeldBackAndLosesNothing() throws Exception {
        int maxInFlightBytes = 256 * 1024;
        GatewayServer g = gateway(gatewaySettings().maxFrameBytes(64 * 1024).maxInFlightBytes(maxInFlightBytes)
                .maxInFlight(100_000).build());
        int batches = 2000; // 43 MB in: more than the kernel's socket buffers hold
        int jobsPerBatch = 200;
        // A key with a control character: each job is ~107 bytes in and ~45 bytes of rejection out.
        byte[] oneBatch;
        {
            SubmitJob.Builder[] jobs = new SubmitJob.Builder[jobsPerBatch];
            java.util.Arrays.fill(jobs, SubmitJob.newBuilder().setKey("\u0001").setPayload(ByteString.copyFrom(new byte[100])));
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            batch(0, NS, jobs).writeDelimitedTo(b);
            oneBatch = b.toByteArray();
        }
        try (Socket s = new Socket()) {
            s.setReceiveBufferSize(16 * 1024);
            s.connect(new InetSocketAddress("127.0.0.1", g.port()));
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            DataInputStream in = new DataInputStream(s.getInputStream());
            Envelope.newBuilder().setHello(io.seriatim.proto.v1.Hello.newBuilder().setProtocolVersion(1)).build()
                    .writeDelimitedTo(out);
            assertThat(Envelope.parseDelimitedFrom(in).hasHelloOk()).isTrue();
            AtomicInteger written = new AtomicInteger();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; i < batches; i++) {
                        out.write(oneBatch);
                        written.incrementAndGet();
                    }
                    out.flush();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            var answered = metrics.histogram("seriatim.gateway.batch-size");
            await().atMost(Duration.ofSeconds(20)).until(() -> answered.getCount() > 10);
            // It settles: a second without growth, well short of what was sent.
            long[] seen = {-1};
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                long now = answered.getCount();
                boolean still = now == seen[0];
                seen[0] = now;
                return still;
            });
            assertThat(seen[0]).as("batches answered while the client reads nothing").isLessThan(batches);
            assertThat(writer).as("the gateway stopped reading the client").isNotDone();
            for (int i = 0; i < batches; i++) {
                Envelope e = Envelope.parseDelimitedFrom(in);
                assertThat(e.getResults().getResultsCount()).isEqualTo(jobsPerBatch);
            }
            writer.get(20, TimeUnit.SECONDS);
            assertThat(written.get()).isEqualTo(batches);
        }
        assertThat(enqueued()).isZero();
    }

    @Test
    void theProducerSplitsItsBatchesToTheAnnouncedLimitsAndFailsAJobNoFrameCanHold() throws Exception {
        GatewayServer g = gateway(gatewaySettings().maxBatchJobs(10).maxFrameBytes(64 * 1024).build());
        Producer p = producer(producerSettings(g.port()).maxBatchJobs(1000).linger(Duration.ofMillis(50)).build());
        List<CompletableFuture<Long>> futures = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            futures.add(p.submit("split", ("j" + i).getBytes(UTF_8)));
        }
        for (int i = 0; i < 20; i++) {
            futures.add(p.submit("big", new byte[20_000])); // three fit one 64 KiB frame
        }
        for (CompletableFuture<Long> f : futures) {
            assertThat(f.get(20, TimeUnit.SECONDS)).isPositive();
        }
        assertThat(metrics.histogram("seriatim.gateway.batch-size").getSnapshot().getMax()).isLessThanOrEqualTo(10);
        assertThat(metrics.meter("seriatim.gateway.rejected.batch_too_large").getCount()).isZero();
        assertThat(p.submit("huge", new byte[100_000])).failsWithin(Duration.ofSeconds(10))
                .withThrowableOfType(ExecutionException.class).havingCause().isInstanceOf(SubmitException.class)
                .withMessageContaining("over the gateway's frame limit of 65536 bytes");
        assertThat(p.submit("split", "after".getBytes(UTF_8)).get(10, TimeUnit.SECONDS)).isPositive();
        assertThat(payloads(q, "split")).hasSize(201).startsWith("j0", "j1", "j2").endsWith("j199", "after");
    }
}
