package io.seriatim.gateway;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.protobuf.ProtobufDecoder;
import io.netty.handler.codec.protobuf.ProtobufEncoder;
import io.netty.handler.codec.protobuf.ProtobufVarint32LengthFieldPrepender;
import io.netty.handler.ssl.SslContext;
import io.seriatim.client.wire.VarintFrameDecoder;
import io.seriatim.proto.v1.Envelope;
import java.util.concurrent.Executor;

/**
 * The pipeline reads like the protocol: [TLS], length prefix and Protobuf encoding out, the
 * connection limit, bounded varint frames and Protobuf decoding in, then the session. The frame
 * decoder is the client's ({@link VarintFrameDecoder}): one framing for both ends of the protocol.
 */
final class GatewayInitializer extends ChannelInitializer<SocketChannel> {
    private final GatewaySettings settings;
    private final SslContext ssl;
    private final ConnectionLimiter limiter;
    private final BatchEnqueuer enqueuer;
    private final Executor redisThreads;

    GatewayInitializer(GatewaySettings settings, SslContext ssl, ConnectionLimiter limiter, BatchEnqueuer enqueuer,
            Executor redisThreads) {
        this.settings = settings;
        this.ssl = ssl;
        this.limiter = limiter;
        this.enqueuer = enqueuer;
        this.redisThreads = redisThreads;
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
        VarintFrameDecoder frames = new VarintFrameDecoder(settings.maxFrameBytes());
        p.addLast("frames", frames);
        p.addLast("decoder", new ProtobufDecoder(Envelope.getDefaultInstance()));
        p.addLast("session", new SessionHandler(settings, enqueuer, redisThreads, frames));
    }
}
