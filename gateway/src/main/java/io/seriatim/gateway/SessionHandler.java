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
import io.seriatim.proto.v1.SubmitBatch;
import io.seriatim.proto.v1.SubmitResults;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection's protocol: Hello (version and token) first, then submits and pings.
 * Runs on the channel's event loop and never blocks it: each batch goes to the connection's
 * {@link SerialExecutor} on the gateway's Redis threads, and its answer is written back from
 * there. Past {@code maxInFlight} unanswered batches it stops reading the socket until answers
 * catch up. A periodic check on the event loop enforces the Hello and per-frame deadlines.
 */
final class SessionHandler extends SimpleChannelInboundHandler<Envelope> {
    static final int PROTOCOL_VERSION = 1;
    private static final Logger log = LoggerFactory.getLogger(SessionHandler.class);

    private final GatewaySettings settings;
    private final BatchEnqueuer enqueuer;
    private final SerialExecutor serial;
    private final VarintFrameDecoder frames;
    private final long openedNanos = System.nanoTime();
    private boolean helloDone;
    private int inFlight;
    private long partialSinceNanos;
    private ScheduledFuture<?> deadlines;
    /**
     * Set by this connection's serial Redis task when a batch could not reach Redis: nothing
     * after it may be written (the client resends it and everything after, in order), so later
     * batches are answered UNAVAILABLE untouched and the connection closes.
     */
    private volatile boolean redisFailed;

    SessionHandler(GatewaySettings settings, BatchEnqueuer enqueuer, Executor redisThreads, VarintFrameDecoder frames) {
        this.settings = settings;
        this.enqueuer = enqueuer;
        this.serial = new SerialExecutor(redisThreads);
        this.frames = frames;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        long every = Math.max(10, Math.min(settings.helloTimeout().toMillis(), settings.frameTimeout().toMillis()) / 4);
        deadlines = ctx.executor().scheduleAtFixedRate(() -> checkDeadlines(ctx), every, every, TimeUnit.MILLISECONDS);
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (deadlines != null) {
            deadlines.cancel(false);
        }
        super.channelInactive(ctx);
    }

    private void checkDeadlines(ChannelHandlerContext ctx) {
        long now = System.nanoTime();
        if (!helloDone && now - openedNanos > settings.helloTimeout().toNanos()) {
            closeWithError(ctx, Error.Code.TIMEOUT, "no Hello within " + settings.helloTimeout());
            return;
        }
        if (frames.midFrame()) {
            if (partialSinceNanos == 0) {
                partialSinceNanos = now;
            } else if (now - partialSinceNanos > settings.frameTimeout().toNanos()) {
                closeWithError(ctx, Error.Code.TIMEOUT, "a frame took longer than " + settings.frameTimeout() + " to arrive");
            }
        } else {
            partialSinceNanos = 0;
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Envelope env) {
        if (!helloDone) {
            hello(ctx, env);
            return;
        }
        switch (env.getBodyCase()) {
            case SUBMIT -> submit(ctx, env.getSubmit());
            case PING -> ctx.writeAndFlush(Envelope.newBuilder().setPong(Pong.newBuilder().setNonce(env.getPing().getNonce()))
                    .build());
            default -> closeWithError(ctx, Error.Code.PROTOCOL, "unexpected " + env.getBodyCase() + " after Hello");
        }
    }

    private void hello(ChannelHandlerContext ctx, Envelope env) {
        if (!env.hasHello()) {
            closeWithError(ctx, Error.Code.PROTOCOL, "the first message must be Hello, got " + env.getBodyCase());
            return;
        }
        int version = env.getHello().getProtocolVersion();
        if (version != PROTOCOL_VERSION) {
            closeWithError(ctx, Error.Code.UNSUPPORTED_VERSION, "protocol version " + version
                    + " is not supported; this gateway speaks " + PROTOCOL_VERSION);
            return;
        }
        if (settings.authToken() != null && !MessageDigest.isEqual(settings.authToken().getBytes(StandardCharsets.UTF_8),
                env.getHello().getAuthToken().getBytes(StandardCharsets.UTF_8))) {
            closeWithError(ctx, Error.Code.UNAUTHENTICATED, "wrong or missing auth token");
            return;
        }
        helloDone = true;
        ctx.writeAndFlush(Envelope.newBuilder().setHelloOk(HelloOk.newBuilder().setProtocolVersion(PROTOCOL_VERSION)
                .setMaxFrameBytes(settings.maxFrameBytes()).setMaxInFlight(settings.maxInFlight())).build());
    }

    private void submit(ChannelHandlerContext ctx, SubmitBatch batch) {
        inFlight++;
        if (inFlight >= settings.maxInFlight()) {
            ctx.channel().config().setAutoRead(false); // backpressure: Redis is behind this client
        }
        serial.execute(() -> {
            SubmitResults results;
            if (redisFailed) {
                results = enqueuer.unavailable(batch, "an earlier batch on this connection could not reach Redis");
            } else {
                results = enqueuer.enqueue(batch);
                redisFailed = results.getResultsList().stream().anyMatch(r -> r.hasRejected()
                        && r.getRejected().getCode() == io.seriatim.proto.v1.Rejection.Code.UNAVAILABLE);
            }
            var written = ctx.writeAndFlush(Envelope.newBuilder().setResults(results).build());
            if (redisFailed) {
                written.addListener(ChannelFutureListener.CLOSE);
            }
            ctx.executor().execute(() -> answered(ctx));
        });
    }

    private void answered(ChannelHandlerContext ctx) {
        inFlight--;
        if (!ctx.channel().config().isAutoRead() && inFlight < settings.maxInFlight()) {
            ctx.channel().config().setAutoRead(true);
            ctx.read();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException || cause instanceof CorruptedFrameException
                || cause instanceof DecoderException) {
            log.info("closing {}: bad frame: {}", ctx.channel().remoteAddress(), cause.getMessage());
            closeWithError(ctx, Error.Code.BAD_FRAME, String.valueOf(cause.getMessage()));
        } else if (cause instanceof IOException) {
            ctx.close();
        } else {
            log.warn("closing {}: {}", ctx.channel().remoteAddress(), cause.toString());
            closeWithError(ctx, Error.Code.PROTOCOL, cause.toString());
        }
    }

    /** Tells the client why, then closes. Safe to call more than once. */
    static void closeWithError(ChannelHandlerContext ctx, Error.Code code, String message) {
        if (!ctx.channel().isActive()) {
            return;
        }
        ctx.channel().config().setAutoRead(false);
        ctx.writeAndFlush(Envelope.newBuilder().setError(Error.newBuilder().setCode(code).setMessage(message)).build())
                .addListener(ChannelFutureListener.CLOSE);
    }
}
