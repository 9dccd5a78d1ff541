package io.seriatim.gateway;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.util.concurrent.ScheduledFuture;
import io.seriatim.client.wire.VarintFrameDecoder;
import io.seriatim.proto.v1.Envelope;
import io.seriatim.proto.v1.Error;
import io.seriatim.proto.v1.HelloOk;
import io.seriatim.proto.v1.Pong;
import io.seriatim.proto.v1.Rejection;
import io.seriatim.proto.v1.SubmitBatch;
import io.seriatim.proto.v1.SubmitResults;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection's protocol: Hello (version and token) first, then submits and pings.
 *
 * <p><b>Threads.</b> Every field is owned by the channel's event loop, which never blocks. A
 * batch is handed to the gateway's Redis threads one at a time: the next only after the answer
 * to the last is back on the event loop and written. That is what keeps a key's order (one
 * connection's batches reach Redis strictly one after the other), and what lets the session
 * hold batches back while the channel is not writable: no answer is made that the client has no
 * room to take.
 *
 * <p><b>Bounds.</b> The socket stops being read while any of these holds: {@code maxInFlight}
 * batches are unanswered; the bytes read and unanswered (batches waiting, the one at Redis, and
 * the unfinished frame) reach {@code maxInFlightBytes}; or the channel is not writable (its
 * outbound buffer passed {@code maxInFlightBytes}, Netty's high water mark). Before Hello a
 * frame may be at most {@link #HELLO_MAX_FRAME_BYTES}, so an unauthenticated peer holds little.
 *
 * <p><b>Deadlines</b>, checked by a periodic task on the event loop: Hello within helloTimeout;
 * a started frame in full within frameTimeout; after Hello, a connection that sends nothing
 * while nothing of it is unanswered, or that takes none of its answers, for idleTimeout is closed.
 */
final class SessionHandler extends SimpleChannelInboundHandler<Object> {
    static final int PROTOCOL_VERSION = 1;
    /** The largest frame before Hello: a Hello with a long token fits many times over. */
    static final int HELLO_MAX_FRAME_BYTES = 64 * 1024;
    private static final Logger log = LoggerFactory.getLogger(SessionHandler.class);
    /** What a batch refused unparsed holds while it waits: its small answer. */
    private static final long REFUSED_BATCH_BYTES = 256;

    /**
     * A batch read and not yet answered, with the bytes it was read as; {@code ready} is its
     * answer when it needs no Redis (a batch refused unparsed), which still waits its turn.
     */
    private record Waiting(SubmitBatch batch, SubmitResults ready, long bytes) {}

    private final GatewaySettings settings;
    private final BatchEnqueuer enqueuer;
    private final Executor redisThreads;
    private final VarintFrameDecoder frames;
    private final PartialFrameGuard partial;
    private final GatewayMetrics metrics;
    private final long openedNanos = System.nanoTime();
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    private boolean helloDone;
    /** The batch at Redis now, or null. */
    private Waiting atRedis;
    private long unansweredBytes;
    private long partialSinceNanos;
    private long lastActivityNanos = openedNanos;
    private long unwritableSinceNanos;
    private ScheduledFuture<?> deadlines;
    /**
     * Set when a batch could not reach Redis: nothing after it may be written (the client resends
     * it and everything after, in order), so later batches are answered UNAVAILABLE untouched and
     * the connection closes.
     */
    private boolean redisFailed;
    SessionHandler(GatewaySettings settings, BatchEnqueuer enqueuer, Executor redisThreads, VarintFrameDecoder frames,
            PartialFrameGuard partial, GatewayMetrics metrics) {
        this.settings = settings;
        this.enqueuer = enqueuer;
        this.redisThreads = redisThreads;
        this.frames = frames;
        this.partial = partial;
        this.metrics = metrics;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        long every = Math.max(10, Math.min(Math.min(settings.helloTimeout().toMillis(), settings.frameTimeout().toMillis()),
                settings.idleTimeout().toMillis()) / 4);
        deadlines = ctx.executor().scheduleAtFixedRate(() -> checkDeadlines(ctx), every, every, TimeUnit.MILLISECONDS);
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (deadlines != null) {
            deadlines.cancel(false);
        }
        waiting.clear(); // never sent to Redis: the client resends them
        super.channelInactive(ctx);
    }

    private void checkDeadlines(ChannelHandlerContext ctx) {
        long now = System.nanoTime();
        if (!helloDone && now - openedNanos > settings.helloTimeout().toNanos()) {
            Farewell.closeWithError(ctx, Error.Code.TIMEOUT, "no Hello within " + settings.helloTimeout());
            return;
        }
        if (frames.midFrame()) {
            if (partialSinceNanos == 0) {
                partialSinceNanos = now;
            } else if (now - partialSinceNanos > settings.frameTimeout().toNanos()) {
                Farewell.closeWithError(ctx, Error.Code.TIMEOUT, "a frame took longer than " + settings.frameTimeout() + " to arrive");
                return;
            }
        } else {
            partialSinceNanos = 0;
        }
        if (!ctx.channel().isWritable()) {
            if (unwritableSinceNanos == 0) {
                unwritableSinceNanos = now;
            } else if (now - unwritableSinceNanos > settings.idleTimeout().toNanos()) {
                // It reads nothing of ours, so an Error would not reach it either.
                log.info("closing {}: took none of its answers for {}", ctx.channel().remoteAddress(), settings.idleTimeout());
                metrics.idleClosed.mark();
                ctx.close();
                return;
            }
        } else {
            unwritableSinceNanos = 0;
        }
        if (helloDone && atRedis == null && waiting.isEmpty() && !frames.midFrame()
                && now - lastActivityNanos > settings.idleTimeout().toNanos()) {
            metrics.idleClosed.mark();
            Farewell.closeWithError(ctx, Error.Code.TIMEOUT, "idle for " + settings.idleTimeout() + " (send Ping to keep a connection)");
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
        lastActivityNanos = System.nanoTime();
        if (msg instanceof EnvelopeDecoder.OversizedBatch over) {
            if (!helloDone) {
                Farewell.closeWithError(ctx, Error.Code.PROTOCOL, "the first message must be Hello, got SUBMIT");
                return;
            }
            waiting.add(new Waiting(null, enqueuer.tooLarge(over.requestId(), over.jobs()), REFUSED_BATCH_BYTES));
            unansweredBytes += REFUSED_BATCH_BYTES;
            pump(ctx);
            return;
        }
        Envelope env = (Envelope) msg;
        if (!helloDone) {
            hello(ctx, env);
            return;
        }
        switch (env.getBodyCase()) {
            case SUBMIT -> submit(ctx, env.getSubmit(), env.getSerializedSize());
            case PING -> ctx.writeAndFlush(Envelope.newBuilder().setPong(Pong.newBuilder().setNonce(env.getPing().getNonce()))
                    .build());
            default -> Farewell.closeWithError(ctx, Error.Code.PROTOCOL, "unexpected " + env.getBodyCase() + " after Hello");
        }
    }

    private void hello(ChannelHandlerContext ctx, Envelope env) {
        if (!env.hasHello()) {
            Farewell.closeWithError(ctx, Error.Code.PROTOCOL, "the first message must be Hello, got " + env.getBodyCase());
            return;
        }
        int version = env.getHello().getProtocolVersion();
        if (version != PROTOCOL_VERSION) {
            Farewell.closeWithError(ctx, Error.Code.UNSUPPORTED_VERSION, "protocol version " + Integer.toUnsignedString(version)
                    + " is not supported; this gateway speaks " + PROTOCOL_VERSION);
            return;
        }
        if (settings.authToken() != null && !MessageDigest.isEqual(settings.authToken().getBytes(StandardCharsets.UTF_8),
                env.getHello().getAuthToken().getBytes(StandardCharsets.UTF_8))) {
            Farewell.closeWithError(ctx, Error.Code.UNAUTHENTICATED, "wrong or missing auth token");
            return;
        }
        helloDone = true;
        frames.maxFrameBytes(settings.maxFrameBytes());
        ctx.writeAndFlush(Envelope.newBuilder().setHelloOk(HelloOk.newBuilder().setProtocolVersion(PROTOCOL_VERSION)
                .setMaxFrameBytes(settings.maxFrameBytes()).setMaxInFlight(settings.maxInFlight())
                .setMaxBatchJobs(settings.maxBatchJobs())
                .setIdleTimeoutMs((int) Math.min(Integer.MAX_VALUE, settings.idleTimeout().toMillis()))).build());
    }

    private void submit(ChannelHandlerContext ctx, SubmitBatch batch, long bytes) {
        waiting.add(new Waiting(batch, null, bytes));
        unansweredBytes += bytes;
        pump(ctx);
    }

    /** Sends the next waiting batch to Redis if none is there and the client has room for its answer. */
    private void pump(ChannelHandlerContext ctx) {
        updateReading(ctx);
        if (atRedis != null || waiting.isEmpty() || !ctx.channel().isActive() || !ctx.channel().isWritable()) {
            return;
        }
        Waiting next = waiting.poll();
        atRedis = next;
        if (next.ready() != null) { // its turn has come; a task, not a call, so a run of them cannot nest deep
            ctx.executor().execute(() -> answered(ctx, next, next.ready()));
            return;
        }
        boolean unavailable = redisFailed;
        try {
            redisThreads.execute(() -> {
                SubmitResults results = enqueueOnRedisThread(next.batch(), unavailable);
                try {
                    ctx.executor().execute(() -> answered(ctx, next, results));
                } catch (RejectedExecutionException shuttingDown) {
                    ctx.channel().close(); // the gateway is stopping: the client resends what is unanswered
                }
            });
        } catch (RejectedExecutionException shuttingDown) {
            atRedis = null;
            ctx.close();
        }
    }

    /**
     * Runs on a Redis thread. Catches everything, {@link java.lang.Error}s included: a thread
     * that dies silently would leave this connection waiting for an answer for good. A batch
     * whose enqueue failed that way may be partly written, so it is answered as Redis being
     * unavailable: the client resends it and the dedup ids enqueue only what is missing.
     */
    private SubmitResults enqueueOnRedisThread(SubmitBatch batch, boolean unavailable) {
        try {
            return unavailable ? enqueuer.unavailable(batch, "an earlier batch on this connection could not reach Redis")
                    : enqueuer.enqueue(batch);
        } catch (Throwable t) { // see above: OutOfMemoryError included
            metrics.failures.mark();
            log.error("batch {} of {} jobs failed in the gateway, answered UNAVAILABLE: {}", batch.getRequestId(),
                    batch.getJobsCount(), t.toString());
            try {
                return enqueuer.unavailable(batch, "the gateway failed while enqueueing (" + t.getClass().getSimpleName()
                        + "): resend");
            } catch (Throwable again) { // not even the answer could be made: the connection must go
                return null;
            }
        }
    }

    /** Back on the event loop: writes the answer, then lets the next batch go. */
    private void answered(ChannelHandlerContext ctx, Waiting batch, SubmitResults results) {
        atRedis = null;
        unansweredBytes -= batch.bytes();
        lastActivityNanos = System.nanoTime();
        if (results == null) {
            Farewell.closeWithError(ctx, Error.Code.INTERNAL, "the gateway failed on batch " + batch.batch().getRequestId()
                    + ": resend what is unanswered");
            return;
        }
        if (!redisFailed && results.getResultsList().stream().anyMatch(r -> r.hasRejected()
                && r.getRejected().getCode() == Rejection.Code.UNAVAILABLE)) {
            redisFailed = true; // what is waiting is answered UNAVAILABLE, then the connection closes
            ctx.channel().config().setAutoRead(false);
        }
        var written = ctx.writeAndFlush(Envelope.newBuilder().setResults(results).build());
        if (redisFailed && waiting.isEmpty()) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
        pump(ctx);
    }

    /** Reads the socket only while this connection is within its bounds (see the class comment). */
    private void updateReading(ChannelHandlerContext ctx) {
        int unanswered = waiting.size() + (atRedis == null ? 0 : 1);
        boolean pause = unanswered >= settings.maxInFlight()
                || (unanswered > 0 && unansweredBytes + partial.held() >= settings.maxInFlightBytes())
                || !ctx.channel().isWritable();
        boolean reading = ctx.channel().config().isAutoRead();
        if (pause && reading) {
            ctx.channel().config().setAutoRead(false);
        } else if (!pause && !reading && ctx.channel().isActive() && !redisFailed && !Farewell.closing(ctx.channel())) {
            ctx.channel().config().setAutoRead(true);
            ctx.read();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        pump(ctx);
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        boolean badFrame = cause instanceof TooLongFrameException || cause instanceof CorruptedFrameException
                || (cause instanceof DecoderException && !(cause.getCause() instanceof java.lang.Error));
        if (badFrame) {
            metrics.badFrames.mark();
            log.info("closing {}: bad frame: {}", ctx.channel().remoteAddress(), cause.getMessage());
            Farewell.closeWithError(ctx, Error.Code.BAD_FRAME, String.valueOf(cause.getMessage()));
        } else if (cause instanceof IOException) {
            ctx.close();
        } else {
            // An Error (out of memory, say) or a bug: logged in one line, counted, and only this
            // connection goes; the event loop goes on serving the others.
            metrics.failures.mark();
            log.error("closing {}: the gateway failed on it: {}", ctx.channel().remoteAddress(), cause.toString());
            Farewell.closeWithError(ctx, Error.Code.INTERNAL, "the gateway failed on this connection ("
                    + cause.getClass().getSimpleName() + "): reconnect and resend what is unanswered");
        }
    }
}
