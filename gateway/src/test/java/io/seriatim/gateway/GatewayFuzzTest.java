package io.seriatim.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.protobuf.ProtobufEncoder;
import io.netty.handler.codec.protobuf.ProtobufVarint32LengthFieldPrepender;
import io.seriatim.core.queue.KeyedQueue;
import io.seriatim.core.settings.NamespaceSettings;
import io.seriatim.proto.v1.Envelope;
import io.seriatim.proto.v1.Hello;
import io.seriatim.proto.v1.JobResult;
import io.seriatim.proto.v1.Ping;
import io.seriatim.proto.v1.Rejection;
import io.seriatim.proto.v1.SubmitBatch;
import io.seriatim.proto.v1.SubmitJob;
import io.seriatim.proto.v1.SubmitResults;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the gateway's frame decoder and message handling: the very handlers of a connection
 * ({@link GatewayInitializer#addProtocolHandlers}) on an in-memory channel, with the real
 * {@link BatchEnqueuer} on a real Redis, fed valid conversations (Hello, submits of good and bad
 * jobs, pings) that are then mutated (bit flips, inserted, deleted and repeated bytes, broken
 * length prefixes, cuts) and delivered in random pieces.
 *
 * <p>For each input it asserts that nothing escapes the handlers, that everything written back
 * is a well-formed frame, that answers match the batches in order and stay small, that no job
 * the oracle below finds invalid was acknowledged (so none was enqueued), and that the bytes of
 * unfinished frames are given back to the process-wide budget when the connection goes. At the
 * end, the heap after a GC has not grown past a bound.
 *
 * <p>A seeded generator of mutated valid frames (java.util.Random, its seed printed), not a
 * coverage-guided fuzzer. In the build: {@value #CI_INPUTS} inputs, some seconds. For a long run:
 * {@code -Dseriatim.fuzz.inputs=1000000} (and {@code -Dseriatim.fuzz.seed=N} to replay one).
 */
class GatewayFuzzTest extends GatewayTestSupport {
    static final int CI_INPUTS = 1500;
    static final String SMALL = "small";
    static final int SMALL_PAYLOAD = 1000;
    static final int MAX_BATCH_JOBS = 40;
    static final int MAX_FRAME = 256 * 1024;

    @Test
    void mutatedConversationsNeverEscapeTheHandlersNorEnqueueAnythingInvalid() throws Exception {
        long seed = Long.getLong("seriatim.fuzz.seed", System.nanoTime());
        int inputs = Integer.getInteger("seriatim.fuzz.inputs", CI_INPUTS);
        System.out.println("GatewayFuzzTest: seed=" + seed + " inputs=" + inputs
                + " (replay with -Dseriatim.fuzz.seed=" + seed + ")");
        queue();
        KeyedQueue.open(redis.client(), NamespaceSettings.builder(SMALL).maxPayloadBytes(SMALL_PAYLOAD).build());
        GatewaySettings settings = gatewaySettings().authToken("tok").maxFrameBytes(MAX_FRAME).maxBatchJobs(MAX_BATCH_JOBS)
                .maxInFlight(8).maxInFlightBytes(MAX_FRAME).maxPartialFrameBytes(MAX_FRAME).build();
        GatewayMetrics gatewayMetrics = new GatewayMetrics(metrics);
        BatchEnqueuer enqueuer = new BatchEnqueuer(new NamespaceCatalog(redis.client(), List.of()), settings, gatewayMetrics);
        PartialFrameBudget budget = new PartialFrameBudget(settings.maxPartialFrameBytes());
        // Redis calls run on the test thread: the channel's tasks then run in a fixed order.
        GatewayInitializer handlers = new GatewayInitializer(settings, null, null, budget, enqueuer, Runnable::run,
                gatewayMetrics);
        Random rnd = new Random(seed);
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long heapBefore = rt.totalMemory() - rt.freeMemory();
        int acknowledged = 0;
        for (int i = 0; i < inputs; i++) {
            byte[] input = mutate(rnd, conversation(rnd));
            try {
                acknowledged += run(handlers, settings, input, rnd);
                assertThat(budget.used()).as("partial-frame bytes given back").isZero();
            } catch (Throwable t) {
                throw new AssertionError("seed=" + seed + " input #" + i + ": " + t + "\n input: "
                        + HexFormat.of().formatHex(input, 0, Math.min(input.length, 4096)), t);
            }
        }
        System.gc();
        long grown = rt.totalMemory() - rt.freeMemory() - heapBefore;
        System.out.println("GatewayFuzzTest: " + inputs + " inputs, " + acknowledged + " jobs acknowledged, heap grew "
                + (grown >> 20) + " MiB");
        assertThat(grown).as("heap growth after GC").isLessThan(256L << 20);
    }

    /** Feeds one input in random pieces; returns how many jobs were acknowledged. */
    private static int run(GatewayInitializer handlers, GatewaySettings settings, byte[] input, Random rnd)
            throws IOException {
        EmbeddedChannel ch = new EmbeddedChannel(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel c) {
                c.pipeline().addLast(new ProtobufVarint32LengthFieldPrepender(), new ProtobufEncoder());
                handlers.addProtocolHandlers(c.pipeline());
            }
        });
        int at = 0;
        while (at < input.length && ch.isActive()) {
            int piece = Math.min(input.length - at, 1 + rnd.nextInt(rnd.nextBoolean() ? 16 : 64 * 1024));
            ch.writeInbound(Unpooled.wrappedBuffer(input, at, piece));
            at += piece;
            ch.runPendingTasks();
        }
        ch.runPendingTasks(); // runs the tasks that tasks add, too
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object o = ch.readOutbound(); o != null; o = ch.readOutbound()) {
            ByteBuf b = (ByteBuf) o;
            byte[] bytes = new byte[b.readableBytes()];
            b.readBytes(bytes);
            b.release();
            out.write(bytes);
        }
        ch.close();
        ch.finishAndReleaseAll();
        ch.checkException(); // nothing reached the end of the pipeline unhandled
        return check(settings, input, out.toByteArray());
    }

    /** The gateway's answers against what the input, parsed independently, asked for. */
    private static int check(GatewaySettings settings, byte[] input, byte[] output) throws IOException {
        List<SubmitBatch> submits = submitsTheGatewayShouldTake(settings, input);
        CodedInputStream answers = CodedInputStream.newInstance(output);
        int next = 0;
        int acknowledged = 0;
        while (!answers.isAtEnd()) {
            int length = answers.readRawVarint32();
            assertThat(length).as("answer frame length").isBetween(0, 4 * 1024 * 1024);
            Envelope e = Envelope.parseFrom(answers.readRawBytes(length));
            if (!e.hasResults()) {
                assertThat(e.getBodyCase()).isIn(Envelope.BodyCase.HELLO_OK, Envelope.BodyCase.PONG, Envelope.BodyCase.ERROR);
                continue;
            }
            assertThat(next).as("an answer for every batch, no more").isLessThan(submits.size());
            SubmitBatch batch = submits.get(next++);
            SubmitResults r = e.getResults();
            assertThat(r.getRequestId()).isEqualTo(batch.getRequestId());
            if (r.hasRefused()) {
                assertThat(r.getRefused().getCode()).isEqualTo(Rejection.Code.BATCH_TOO_LARGE);
                assertThat(batch.getJobsCount()).isGreaterThan(MAX_BATCH_JOBS);
                continue;
            }
            assertThat(r.getResultsCount()).isEqualTo(batch.getJobsCount());
            for (int j = 0; j < r.getResultsCount(); j++) {
                JobResult jr = r.getResults(j);
                if (jr.hasJobId() || jr.hasDuplicateOf()) {
                    String why = invalid(batch, batch.getJobs(j));
                    assertThat(why).as("acknowledged job %d of batch %d", j, batch.getRequestId()).isNull();
                    acknowledged++;
                } else {
                    assertThat(jr.getRejected().getReason().length()).isLessThanOrEqualTo(BatchEnqueuer.MAX_REASON_CHARS + 3);
                }
            }
        }
        return acknowledged;
    }

    /**
     * The submits of an input as the protocol says the gateway reads them: frames parsed in order
     * until one is bad, the first of which must be a Hello with the token.
     */
    private static List<SubmitBatch> submitsTheGatewayShouldTake(GatewaySettings settings, byte[] input) {
        List<SubmitBatch> submits = new ArrayList<>();
        CodedInputStream in = CodedInputStream.newInstance(input);
        boolean hello = false;
        try {
            while (!in.isAtEnd()) {
                int length = in.readRawVarint32();
                int limit = hello ? settings.maxFrameBytes() : Math.min(SessionHandler.HELLO_MAX_FRAME_BYTES, settings.maxFrameBytes());
                if (length < 0 || length > limit) {
                    break;
                }
                byte[] frame = in.readRawBytes(length);
                if (!hello) {
                    Envelope e = Envelope.parseFrom(frame);
                    if (!e.hasHello() || e.getHello().getProtocolVersion() != 1 || !e.getHello().getAuthToken().equals("tok")) {
                        break;
                    }
                    hello = true;
                    continue;
                }
                EnvelopeDecoder.OversizedBatch over = EnvelopeDecoder.oversized(CodedInputStream.newInstance(frame), MAX_BATCH_JOBS);
                if (over != null) {
                    submits.add(SubmitBatch.newBuilder().setRequestId(over.requestId())
                            .addAllJobs(java.util.Collections.nCopies((int) over.jobs(), SubmitJob.getDefaultInstance())).build());
                    continue;
                }
                Envelope e = Envelope.parseFrom(frame);
                if (e.hasSubmit()) {
                    submits.add(e.getSubmit());
                } else if (!e.hasPing()) {
                    break; // anything else after Hello closes the connection
                }
            }
        } catch (IOException endOrBad) {
            // a cut or unreadable frame: the gateway takes nothing after it
        }
        return submits;
    }

    /** Why a job must not be enqueued, or null: the limits, restated apart from the gateway's code. */
    private static String invalid(SubmitBatch batch, SubmitJob job) {
        int payloadLimit = batch.getNamespace().equals(SMALL) ? SMALL_PAYLOAD : 1024 * 1024;
        if (!batch.getNamespace().equals(NS) && !batch.getNamespace().equals(SMALL)) {
            return "unknown namespace";
        }
        String key = job.getKey();
        if (key.isEmpty() || key.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 1024
                || key.chars().anyMatch(Character::isISOControl)) {
            return "bad key";
        }
        if (job.getPayload().size() > payloadLimit) {
            return "payload over the limit";
        }
        long headerBytes = 0;
        for (Map.Entry<String, String> h : job.getHeadersMap().entrySet()) {
            if (h.getKey().isEmpty()) {
                return "empty header name";
            }
            headerBytes += h.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                    + h.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        }
        if (headerBytes > payloadLimit || job.getHeadersCount() > 64) {
            return "headers over the limit";
        }
        if (job.hasDelayMs() && (job.getDelayMs() < 0 || job.getDelayMs() > BatchEnqueuer.MAX_DELAY_MS)) {
            return "bad delay";
        }
        if (job.hasRunAtMs() && (job.getRunAtMs() < 0 || job.getRunAtMs() > System.currentTimeMillis() + BatchEnqueuer.MAX_DELAY_MS)) {
            return "bad run_at";
        }
        return null;
    }

    // ------------------------------------------------------------------ generator

    /** A valid conversation: Hello (mostly with the right token), then submits and pings. */
    static byte[] conversation(Random rnd) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Hello.Builder hello = Hello.newBuilder().setProtocolVersion(rnd.nextInt(20) == 0 ? 2 : 1).setClientName("fuzz");
        hello.setAuthToken(rnd.nextInt(20) == 0 ? "wrong" : "tok");
        Envelope.newBuilder().setHello(hello).build().writeDelimitedTo(out);
        int messages = 1 + rnd.nextInt(5);
        for (int m = 0; m < messages; m++) {
            if (rnd.nextInt(6) == 0) {
                Envelope.newBuilder().setPing(Ping.newBuilder().setNonce(rnd.nextLong())).build().writeDelimitedTo(out);
            } else {
                Envelope.newBuilder().setSubmit(batch(rnd, m)).build().writeDelimitedTo(out);
            }
        }
        return out.toByteArray();
    }

    private static SubmitBatch batch(Random rnd, long id) {
        SubmitBatch.Builder b = SubmitBatch.newBuilder().setRequestId(id);
        b.setNamespace(switch (rnd.nextInt(10)) {
            case 0 -> SMALL;
            case 1 -> "no-such-namespace";
            case 2 -> "bad name!";
            default -> NS;
        });
        if (rnd.nextInt(4) == 0) {
            b.setBatchDedupId(rnd.nextInt(10) == 0 ? "bad\nid" : "b" + rnd.nextInt(1000));
        }
        int jobs = rnd.nextInt(15) == 0 ? MAX_BATCH_JOBS + 1 + rnd.nextInt(100) : rnd.nextInt(12);
        for (int j = 0; j < jobs; j++) {
            b.addJobs(job(rnd));
        }
        return b.build();
    }

    private static SubmitJob job(Random rnd) {
        SubmitJob.Builder j = SubmitJob.newBuilder();
        j.setKey(switch (rnd.nextInt(12)) {
            case 0 -> "";
            case 1 -> "ctl\u0001key";
            case 2 -> "k".repeat(1025);
            case 3 -> "ключ-" + rnd.nextInt(5);
            default -> "k" + rnd.nextInt(10);
        });
        int payload = switch (rnd.nextInt(10)) {
            case 0 -> SMALL_PAYLOAD + 1 + rnd.nextInt(100);
            case 1 -> rnd.nextInt(20_000);
            default -> rnd.nextInt(100);
        };
        byte[] bytes = new byte[payload];
        rnd.nextBytes(bytes);
        j.setPayload(ByteString.copyFrom(bytes));
        int headers = rnd.nextInt(4) == 0 ? rnd.nextInt(4) : 0;
        for (int h = 0; h < headers; h++) {
            j.putHeaders(rnd.nextInt(10) == 0 ? "" : "h" + h, "v".repeat(rnd.nextInt(5) == 0 ? SMALL_PAYLOAD : 10));
        }
        if (rnd.nextInt(8) == 0) {
            j.setDedupId(rnd.nextInt(5) == 0 ? "" : "d" + rnd.nextInt(100));
        }
        switch (rnd.nextInt(16)) {
            case 0 -> j.setDelayMs(-1L);
            case 1 -> j.setDelayMs(1L << 63);
            case 2 -> j.setDelayMs(BatchEnqueuer.MAX_DELAY_MS + 1);
            case 3 -> j.setDelayMs(rnd.nextInt(1_000_000));
            case 4 -> j.setRunAtMs(rnd.nextBoolean() ? -5 : Long.MAX_VALUE);
            case 5 -> j.setRunAtMs(System.currentTimeMillis() + rnd.nextInt(1_000_000));
            default -> { }
        }
        return j.build();
    }

    /** Three in ten inputs stay valid; the rest get one to four mutations. */
    static byte[] mutate(Random rnd, byte[] valid) {
        if (rnd.nextInt(10) < 3) {
            return valid;
        }
        byte[] b = valid;
        int mutations = 1 + rnd.nextInt(4);
        for (int m = 0; m < mutations && b.length > 0; m++) {
            int at = rnd.nextInt(b.length);
            switch (rnd.nextInt(6)) {
                case 0 -> { // flip bits
                    b = b.clone();
                    for (int k = 1 + rnd.nextInt(8); k > 0; k--) {
                        int i = rnd.nextInt(b.length);
                        b[i] ^= (byte) (1 << rnd.nextInt(8));
                    }
                }
                case 1 -> { // insert random bytes
                    byte[] junk = new byte[1 + rnd.nextInt(16)];
                    rnd.nextBytes(junk);
                    b = splice(b, at, at, junk);
                }
                case 2 -> b = splice(b, at, Math.min(b.length, at + 1 + rnd.nextInt(32)), new byte[0]); // delete
                case 3 -> { // repeat a range
                    int end = Math.min(b.length, at + 1 + rnd.nextInt(256));
                    b = splice(b, end, end, java.util.Arrays.copyOfRange(b, at, end));
                }
                case 4 -> { // a length prefix of 1 to 5 random bytes
                    byte[] prefix = new byte[1 + rnd.nextInt(5)];
                    rnd.nextBytes(prefix);
                    b = splice(b, at, at, prefix);
                }
                default -> b = java.util.Arrays.copyOf(b, at); // cut
            }
        }
        return b;
    }

    private static byte[] splice(byte[] b, int from, int to, byte[] with) {
        byte[] out = new byte[b.length - (to - from) + with.length];
        System.arraycopy(b, 0, out, 0, from);
        System.arraycopy(with, 0, out, from, with.length);
        System.arraycopy(b, to, out, from + with.length, b.length - to);
        return out;
    }
}
