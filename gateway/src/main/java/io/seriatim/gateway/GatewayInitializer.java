package io.seriatim.gateway;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.protobuf.ProtobufEncoder;
import io.netty.handler.codec.protobuf.ProtobufVarint32LengthFieldPrepender;
import io.netty.handler.ssl.SslContext;
import io.seriatim.client.wire.VarintFrameDecoder;
import java.util.concurrent.Executor;

/**
 * The pipeline reads like the protocol: [TLS], length prefix and Protobuf encoding out, the
 * connection limit, the partial-frame budget, bounded varint frames and Protobuf decoding in (oversized batches counted, not parsed),
 * then the session. The frame decoder is the client's ({@link VarintFrameDecoder}): one framing
 * for both ends of the protocol. It starts with the small pre-Hello limit; the session raises it
 * to maxFrameBytes once Hello is accepted.
 */
final class GatewayInitializer extends ChannelInitializer<SocketChannel> {
    private final GatewaySettings settings;
    private final SslContext ssl;
    private final ConnectionLimiter limiter;
    private final PartialFrameBudget partialFrames;
    private final BatchEnqueuer enqueuer;
    private final Executor redisThreads;
    private final GatewayMetrics metrics;

    GatewayInitializer(GatewaySettings settings, SslContext ssl, ConnectionLimiter limiter, PartialFrameBudget partialFrames,
            BatchEnqueuer enqueuer, Executor redisThreads, GatewayMetrics metrics) {
        this.settings = settings;
        this.ssl = ssl;
        this.limiter = limiter;
        this.partialFrames = partialFrames;
        this.enqueuer = enqueuer;
        this.redisThreads = redisThreads;
        this.metrics = metrics;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ChannelPipeline p = ch.pipeline();
        if (ssl != null) {
            p.addLast("tls", ssl.newHandler(ch.alloc()));
        }
        p.addLast("prepender", new ProtobufVarint32LengthFieldPrepender());
        p.addLast("encoder", new ProtobufEncoder());
        p.addLast("limiter", limiter);
        addProtocolHandlers(p);
    }

    /**
     * The handlers behind the connection limit, which know nothing of sockets: the fuzz test
     * drives these very handlers on an in-memory channel.
     */
    void addProtocolHandlers(ChannelPipeline p) {
        VarintFrameDecoder frames = new VarintFrameDecoder(Math.min(SessionHandler.HELLO_MAX_FRAME_BYTES,
                settings.maxFrameBytes()));
        PartialFrameGuard guard = new PartialFrameGuard(partialFrames, frames, metrics);
        p.addLast("partial-frames", guard);
        p.addLast("frames", frames);
        p.addLast("decoder", new EnvelopeDecoder(settings.maxBatchJobs()));
        p.addLast("session", new SessionHandler(settings, enqueuer, redisThreads, frames, guard, metrics));
    }
}
