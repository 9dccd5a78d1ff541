package io.seriatim.gateway;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.seriatim.client.Producer;
import io.seriatim.client.SubmitException;
import io.seriatim.core.queue.KeyedQueue;
import io.seriatim.proto.v1.Envelope;
import io.seriatim.proto.v1.Error;
import io.seriatim.proto.v1.Rejection;
import io.seriatim.proto.v1.SubmitBatch;
import io.seriatim.proto.v1.SubmitJob;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hostile input: each case must get a clear error (or a refused job), leave the gateway serving,
 * and enqueue nothing.
 */
class GatewayHostileInputTest extends GatewayTestSupport {
    KeyedQueue q;
    GatewayServer g;

    @BeforeEach
    void start() {
        q = queue();
        g = gateway(gatewaySettings().authToken("s3cret").maxFrameBytes(1024 * 1024)
                .helloTimeout(Duration.ofMillis(500)).frameTimeout(Duration.ofMillis(800)).build());
    }

    /** After each hostile case: nothing enqueued, and a well-behaved client is still served. */
    void gatewayStillServesAndNothingWasEnqueued() throws Exception {
        assertThat(q.counts().counters().getOrDefault("enqueued", 0L)).as("nothing enqueued").isZero();
        Producer p = producer(producerSettings(g.port()).authToken("s3cret").build());
        assertThat(p.submit("canary", "ok".getBytes(UTF_8)).get(10, TimeUnit.SECONDS)).isPositive();
        q.purgeDead(null, 10);
    }

    Error.Code errorAfter(byte[] bytes, boolean hello) throws Exception {
        try (RawConnection c = new RawConnection(g.port())) {
            if (hello) {
                c.hello("s3cret");
                assertThat(c.read().hasHelloOk()).isTrue();
            }
            c.write(bytes);
            Envelope last = c.readUntilClosed();
            return last == null || !last.hasError() ? null : last.getError().getCode();
        }
    }

    @Test
    void aTwoGigabyteLengthPrefixIsRefusedBeforeAllocating() throws Exception {
        assertThat(errorAfter(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07}, true))
                .isEqualTo(Error.Code.BAD_FRAME);
        gatewayStillServesAndNothingWasEnqueued();
    }

    @Test
    void aTenByteVarintIsRefused() throws Exception {
        byte[] tenBytes = new byte[10];
        java.util.Arrays.fill(tenBytes, (byte) 0x80);
        assertThat(errorAfter(tenBytes, true)).isEqualTo(Error.Code.BAD_FRAME);
        gatewayStillServesAndNothingWasEnqueued();
    }

    @Test
    void aHundredMegabytePayloadIsRefusedFromItsLengthPrefix() throws Exception {
        ByteArrayOutputStream prefix = new ByteArrayOutputStream();
        com.google.protobuf.CodedOutputStream out = com.google.protobuf.CodedOutputStream.newInstance(prefix);
        out.writeUInt32NoTag(100 * 1024 * 1024);
        out.flush();
        assertThat(errorAfter(prefix.toByteArray(), true)).isEqualTo(Error.Code.BAD_FRAME);
        gatewayStillServesAndNothingWasEnqueued();
    }

    @Test
    void aTruncatedFrameTimesOutAndEnqueuesNothing() throws Exception {
        assertThat(errorAfter(new byte[] {50, 1, 2, 3}, true)).isEqualTo(Error.Code.TIMEOUT);
        gatewayStillServesAndNothingWasEnqueued();
    }

    @Test
    void randomBytesAreRefused() throws Exception {
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        for (int i = 0; i < 20; i++) {
            byte[] junk = new byte[1 + rnd.nextInt(200)];
            rnd.nextBytes(junk);
            Error.Code code = errorAfter(junk, rnd.nextBoolean());
            assertThat(code).as("seed=%d round=%d", seed, i).isIn(Error.Code.BAD_FRAME, Error.Code.PROTOCOL,
                    Error.Code.TIMEOUT, Error.Code.UNSUPPORTED_VERSION, Error.Code.UNAUTHENTICATED);
        }
        gatewayStillServesAndNothingWasEnqueued();
    }

    @Test
    void deeplyNestedGroupsAreRefused() throws Exception {
        // Field 15, wire type 3 (start group), 100,000 deep: the parser's recursion limit stops it.
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int i = 0; i < 100_000; i++) {
            body.write(0x7B);
        }
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        com.google.protobuf.CodedOutputStream out = com.google.protobuf.CodedOutputStream.newInstance(frame);
        out.writeUInt32NoTag(body.size());
        out.flush();
        frame.write(body.toByteArray());
        assertThat(errorAfter(frame.toByteArray(), true)).isEqualTo(Error.Code.BAD_FRAME);
        gatewayStillServesAndNothingWasEnqueued();
    }

    @Test
    void aSlowSenderIsCutOffAtTheFrameDeadline() throws Exception {
        try (RawConnection c = new RawConnection(g.port())) {
            c.hello("s3cret");
            c.read();
            long start = System.nanoTime();
            c.write(new byte[] {100}); // announces 100 bytes, then one byte at a time
            Envelope last = null;
            for (int i = 0; i < 20 && last == null; i++) {
                try {
                    c.write(new byte[] {1});
                    c.socket.setSoTimeout(300);
                    last = c.read();
                } catch (java.net.SocketTimeoutException slow) {
                    // keep trickling
                } catch (java.io.IOException closed) {
                    break;
                }
            }
            assertThat(last).isNotNull();
            assertThat(last.getError().getCode()).isEqualTo(Error.Code.TIMEOUT);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
        gatewayStillServesAndNothingWasEnqueued();
    }

    @Test
    void noHelloTimesOut() throws Exception {
        try (RawConnection c = new RawConnection(g.port())) {
            assertThat(c.readUntilClosed().getError().getCode()).isEqualTo(Error.Code.TIMEOUT);
        }
        gatewayStillServesAndNothingWasEnqueued();
    }

    @Test
    void aWrongTokenIsRefusedBeforeAnyWrite() throws Exception {
        try (RawConnection c = new RawConnection(g.port())) {
            c.hello("wrong");
            assertThat(c.readUntilClosed().getError().getCode()).isEqualTo(Error.Code.UNAUTHENTICATED);
        }
        Producer p = producer(producerSettings(g.port()).authToken("wrong").build());
        assertThat(p.submit("k", new byte[1])).failsWithin(Duration.ofSeconds(10)).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOf(SubmitException.class).withMessageContaining("UNAUTHENTICATED");
        gatewayStillServesAndNothingWasEnqueued();
    }

    @Test
    void submitBeforeHelloIsAProtocolError() throws Exception {
        try (RawConnection c = new RawConnection(g.port())) {
            c.send(Envelope.newBuilder().setSubmit(SubmitBatch.newBuilder().setNamespace(NS)
                    .addJobs(SubmitJob.newBuilder().setKey("k"))).build());
            assertThat(c.readUntilClosed().getError().getCode()).isEqualTo(Error.Code.PROTOCOL);
        }
        gatewayStillServesAndNothingWasEnqueued();
    }

    @Test
    void anUnknownProtocolVersionGetsAClearError() throws Exception {
        try (RawConnection c = new RawConnection(g.port())) {
            c.send(Envelope.newBuilder().setHello(io.seriatim.proto.v1.Hello.newBuilder().setProtocolVersion(9)
                    .setAuthToken("s3cret")).build());
            Envelope e = c.readUntilClosed();
            assertThat(e.getError().getCode()).isEqualTo(Error.Code.UNSUPPORTED_VERSION);
            assertThat(e.getError().getMessage()).isEqualTo("protocol version 9 is not supported; this gateway speaks 1");
        }
    }

    @Test
    void badJobsAreRejectedOneByOneAndTheRestOfTheBatchGoesIn() throws Exception {
        try (RawConnection c = new RawConnection(g.port())) {
            c.hello("s3cret");
            c.read();
            c.send(Envelope.newBuilder().setSubmit(SubmitBatch.newBuilder().setRequestId(1).setNamespace(NS)
                    .addJobs(SubmitJob.newBuilder().setKey(""))
                    .addJobs(SubmitJob.newBuilder().setKey("fine").setPayload(ByteString.copyFromUtf8("x")))
                    .addJobs(SubmitJob.newBuilder().setKey("k".repeat(2000)))).build());
            var results = c.read().getResults().getResultsList();
            assertThat(results.get(0).getRejected().getCode()).isEqualTo(Rejection.Code.INVALID);
            assertThat(results.get(0).getRejected().getReason()).isEqualTo("key must not be empty");
            assertThat(results.get(1).getJobId()).isPositive();
            assertThat(results.get(2).getRejected().getReason()).startsWith("key is 2000 bytes, over the limit of 1024");
            c.send(Envelope.newBuilder().setSubmit(SubmitBatch.newBuilder().setRequestId(2).setNamespace("nope")
                    .addJobs(SubmitJob.newBuilder().setKey("k"))).build());
            assertThat(c.read().getResults().getResults(0).getRejected().getCode())
                    .isEqualTo(Rejection.Code.UNKNOWN_NAMESPACE);
        }
        assertThat(q.inspect("fine", 1).pending()).isEqualTo(1);
    }

    @Test
    void aBadBatchDedupIdRefusesTheBatchAndTheConnectionGoesOn() throws Exception {
        try (RawConnection c = new RawConnection(g.port())) {
            c.hello("s3cret");
            c.read();
            c.send(Envelope.newBuilder().setSubmit(SubmitBatch.newBuilder().setRequestId(1).setNamespace(NS)
                    .setBatchDedupId("bad\nid").addJobs(SubmitJob.newBuilder().setKey("batch-id")
                            .setPayload(ByteString.copyFromUtf8("x")))).build());
            var refused = c.read().getResults().getResults(0).getRejected();
            assertThat(refused.getCode()).isEqualTo(Rejection.Code.INVALID);
            assertThat(refused.getReason()).startsWith("batch_dedup_id: dedup id must be");
            c.send(Envelope.newBuilder().setSubmit(SubmitBatch.newBuilder().setRequestId(2).setNamespace(NS)
                    .setBatchDedupId("good").addJobs(SubmitJob.newBuilder().setKey("batch-id")
                            .setPayload(ByteString.copyFromUtf8("y")))).build());
            assertThat(c.read().getResults().getResults(0).getJobId()).isPositive();
        }
        assertThat(q.inspect("batch-id", 10).pending()).isEqualTo(1);
    }

    @Test
    void connectionsOverThePerAddressLimitAreRefused() throws Exception {
        GatewayServer limited = gateway(gatewaySettings().maxConnectionsPerAddress(3).build());
        List<RawConnection> open = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                open.add(new RawConnection(limited.port()));
            }
            // Accepted sockets are counted on the I/O threads: wait until all three are.
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> metrics.counter("seriatim.gateway.connections").getCount() == 3);
            try (RawConnection fourth = new RawConnection(limited.port())) {
                assertThat(fourth.readUntilClosed().getError().getCode()).isEqualTo(Error.Code.TOO_MANY_CONNECTIONS);
            }
        } finally {
            for (RawConnection c : open) {
                c.close();
            }
        }
    }

    @Test
    void aThousandIdleConnectionsAreHeldAndDoNotStopService() throws Exception {
        g = gateway(gatewaySettings().authToken("s3cret").maxConnectionsPerAddress(2000).build());
        List<RawConnection> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 1000; i++) {
                RawConnection c = new RawConnection(g.port());
                c.hello("s3cret");
                idle.add(c);
            }
            gatewayStillServesAndNothingWasEnqueued();
        } finally {
            for (RawConnection c : idle) {
                c.close();
            }
        }
    }
}
