package io.seriatim.gateway;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts connections per client address and refuses those over the limit. Shared by every
 * channel; the map is concurrent and each entry is removed when its count drops to zero.
 */
@Sharable
final class ConnectionLimiter extends ChannelInboundHandlerAdapter {
    private final int max;
    private final GatewayMetrics metrics;
    private final Map<InetAddress, AtomicInteger> perAddress = new ConcurrentHashMap<>();

    ConnectionLimiter(int max, GatewayMetrics metrics) {
        this.max = max;
        this.metrics = metrics;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        InetAddress address = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
        int n = perAddress.computeIfAbsent(address, a -> new AtomicInteger()).incrementAndGet();
        metrics.connections.inc();
        if (n > max) {
            metrics.refusedConnections.mark();
            Farewell.closeWithError(ctx, io.seriatim.proto.v1.Error.Code.TOO_MANY_CONNECTIONS,
                    "more than " + max + " connections from " + address.getHostAddress());
            return;
        }
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        InetAddress address = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
        perAddress.computeIfPresent(address, (a, n) -> n.decrementAndGet() <= 0 ? null : n);
        metrics.connections.dec();
        super.channelInactive(ctx);
    }
}
