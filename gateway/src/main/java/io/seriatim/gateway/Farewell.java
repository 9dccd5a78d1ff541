package io.seriatim.gateway;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.AttributeKey;
import io.seriatim.proto.v1.Envelope;
import io.seriatim.proto.v1.Error;

/**
 * How any handler of a connection ends it for a reason of the gateway's: it tells the client
 * why in an {@code Error}, then closes. The channel is marked as closing, so that the session
 * never resumes reading it meanwhile. Call on the channel's event loop.
 */
final class Farewell {
    private static final AttributeKey<Boolean> CLOSING = AttributeKey.valueOf(Farewell.class, "closing");

    private Farewell() {}

    /** Tells the client why, then closes. Safe to call more than once. */
    static void closeWithError(ChannelHandlerContext ctx, Error.Code code, String message) {
        ctx.channel().attr(CLOSING).set(Boolean.TRUE);
        if (!ctx.channel().isActive()) {
            return;
        }
        ctx.channel().config().setAutoRead(false);
        ctx.writeAndFlush(Envelope.newBuilder().setError(Error.newBuilder().setCode(code).setMessage(message)).build())
                .addListener(ChannelFutureListener.CLOSE);
    }

    /** Whether a handler has decided to close this channel. */
    static boolean closing(Channel channel) {
        return Boolean.TRUE.equals(channel.attr(CLOSING).get());
    }
}
