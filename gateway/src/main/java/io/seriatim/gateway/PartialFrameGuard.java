package io.seriatim.gateway;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.seriatim.client.wire.VarintFrameDecoder;
import io.seriatim.proto.v1.Error;

/**
 * Sits before the frame decoder and counts the bytes it holds of unfinished frames against the
 * process-wide {@link PartialFrameBudget}: after each read has gone through the decoder, the
 * difference to what was counted before is taken from (or given back to) the budget. A
 * connection whose growth does not fit is closed with {@code OVERLOADED}: nothing of its
 * unfinished frame was taken, and closing frees it at once (waiting would let connections that
 * each hold half a frame wait on each other for good). The budget may be passed by one read per
 * connection (the bytes are in memory before they can be counted).
 *
 * <p>Not sharable: one per channel, on its event loop.
 */
final class PartialFrameGuard extends ChannelInboundHandlerAdapter {
    private final PartialFrameBudget budget;
    private final VarintFrameDecoder frames;
    private final GatewayMetrics metrics;
    private long counted;

    PartialFrameGuard(PartialFrameBudget budget, VarintFrameDecoder frames, GatewayMetrics metrics) {
        this.budget = budget;
        this.frames = frames;
        this.metrics = metrics;
    }

    /** Bytes of this connection's unfinished frame, as last counted. */
    long held() {
        return counted;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ctx.fireChannelRead(msg); // the decoder takes what is whole and keeps the rest
        long now = frames.bufferedBytes();
        long delta = now - counted;
        if (delta <= 0) {
            budget.give(-delta);
            counted = now;
        } else if (budget.tryTake(delta)) {
            counted = now;
        } else {
            metrics.overloaded.mark();
            Farewell.closeWithError(ctx, Error.Code.OVERLOADED, "the gateway's memory for unfinished frames ("
                    + budget.max() + " bytes over all connections) is used up: send the frame again after a backoff");
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        budget.give(counted);
        counted = 0;
        super.channelInactive(ctx);
    }
}
