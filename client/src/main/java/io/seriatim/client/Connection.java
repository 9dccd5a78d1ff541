package io.seriatim.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.protobuf.ProtobufDecoder;
import io.netty.handler.codec.protobuf.ProtobufEncoder;
import io.netty.handler.codec.protobuf.ProtobufVarint32LengthFieldPrepender;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.seriatim.client.SubmitException.Code;
import io.seriatim.client.wire.VarintFrameDecoder;
import io.seriatim.proto.v1.Envelope;
import io.seriatim.proto.v1.Hello;
import io.seriatim.proto.v1.Ping;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;

/**
 * The producer's connection to its gateway: dials, says Hello, hands the gateway's answers to
 * {@link InFlight}, and when the connection is lost dials again after a backoff that doubles from
 * reconnectBackoff up to reconnectMax. The pipeline reads like the protocol: [TLS], bounded
 * varint frames and Protobuf decoding in, length prefix and Protobuf encoding out, then the
 * handler.
 *
 * <p><b>Threads.</b> Everything runs on the event loop it is given (the producer's one I/O
 * thread), which alone touches {@code backoffMillis}; the one exception is {@link #open()}, where
 * the thread calling {@link Producer#connect} waits for the first dial. It stops dialling when
 * InFlight no longer wants a connection or the event loop shuts down; closing the event loop
 * closes the connection.
 */
final class Connection {
    private static final int PROTOCOL_VERSION = 1;

    private final ProducerSettings settings;
    private final EventLoopGroup io;
    private final InFlight<Channel> inFlight;
    private final GatewayLimits limits;
    private final Bootstrap bootstrap;
    private long backoffMillis;

    Connection(ProducerSettings settings, EventLoopGroup io, InFlight<Channel> inFlight, GatewayLimits limits) {
        this.settings = settings;
        this.io = io;
        this.inFlight = inFlight;
        this.limits = limits;
        this.backoffMillis = settings.reconnectBackoff().toMillis();
        SslContext tls = settings.tls() ? tls(settings) : null;
        this.bootstrap = new Bootstrap().group(io).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.connectTimeout().toMillis())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc(), settings.host(), settings.port()));
                        }
                        ch.pipeline().addLast(new VarintFrameDecoder(settings.maxAnswerBytes()),
                                new ProtobufDecoder(Envelope.getDefaultInstance()),
                                new ProtobufVarint32LengthFieldPrepender(), new ProtobufEncoder(), new Handler());
                    }
                });
    }

    private static SslContext tls(ProducerSettings settings) {
        try {
            SslContextBuilder b = SslContextBuilder.forClient();
            if (settings.trustCertificate() != null) {
                b.trustManager(settings.trustCertificate().toFile());
            }
            return b.build();
        } catch (Exception e) {
            throw new IllegalArgumentException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /**
     * The first dial, waited for on the caller's thread (at most connectTimeout). A gateway
     * that cannot be reached is the caller's to know at once, not after requestTimeout.
     *
     * @throws SubmitException {@link Code#UNREACHABLE}, outcome NOT_SENT, saying why
     */
    void open() {
        ChannelFuture dialled = bootstrap.connect(settings.host(), settings.port());
        try {
            dialled.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            dialled.cancel(false);
            throw unreachable("interrupted while connecting");
        }
        if (!dialled.isSuccess()) {
            throw unreachable(why(dialled.cause()));
        }
    }

    private SubmitException unreachable(String why) {
        return new SubmitException(Code.UNREACHABLE, SubmitException.Outcome.NOT_SENT,
                "cannot connect to the gateway at " + settings.host() + ":" + settings.port() + ": " + why
                        + "; nothing was sent");
    }

    private String why(Throwable cause) {
        if (cause instanceof ConnectTimeoutException) {
            return "no answer within " + settings.connectTimeout();
        }
        if (cause instanceof UnknownHostException) {
            return "unknown host";
        }
        if (cause instanceof ConnectException && cause.getCause() != null) {
            return lowerFirst(cause.getCause().getMessage()); // Netty's message repeats the address
        }
        return lowerFirst(String.valueOf(cause.getMessage()));
    }

    private static String lowerFirst(String s) {
        return s == null || s.isEmpty() ? "unknown error" : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }

    private void dial() {
        bootstrap.connect(settings.host(), settings.port()).addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                inFlight.connectFailed(why(f.cause()));
                redial();
            }
        });
    }

    private void redial() {
        if (!inFlight.wantsConnection() || io.isShuttingDown()) {
            return;
        }
        long delay = backoffMillis;
        backoffMillis = Math.min(backoffMillis * 2, settings.reconnectMax().toMillis());
        io.schedule(this::dial, delay, TimeUnit.MILLISECONDS);
    }

    private final class Handler extends SimpleChannelInboundHandler<Envelope> {
        private boolean helloAnswered;
        private ScheduledFuture<?> pings;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            Hello.Builder hello = Hello.newBuilder().setProtocolVersion(PROTOCOL_VERSION).setClientName(settings.clientName());
            if (settings.authToken() != null) {
                hello.setAuthToken(settings.authToken());
            }
            ctx.writeAndFlush(Envelope.newBuilder().setHello(hello).build());
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Envelope env) {
            switch (env.getBodyCase()) {
                case HELLO_OK -> {
                    helloAnswered = true;
                    backoffMillis = settings.reconnectBackoff().toMillis();
                    limits.announced(env.getHelloOk());
                    keepAlive(ctx, env.getHelloOk().getIdleTimeoutMs());
                    inFlight.connected(ctx.channel());
                }
                case RESULTS -> {
                    if (inFlight.answered(env.getResults())) {
                        ctx.close(); // the gateway closes too; we resend on the next connection
                    }
                }
                case ERROR -> refused(ctx, env.getError());
                default -> { } // Pong, or a message of a later protocol version
            }
        }

        private void refused(ChannelHandlerContext ctx, io.seriatim.proto.v1.Error error) {
            String what = "the gateway refused the connection: " + error.getCode() + ": " + error.getMessage();
            switch (error.getCode()) {
                case UNAUTHENTICATED, UNSUPPORTED_VERSION -> inFlight.refused(Code.REFUSED_CONNECTION, what);
                default -> inFlight.connectFailed(what); // a timeout, too many connections: we redial
            }
            ctx.close();
        }

        /**
         * A gateway closes a connection that sends nothing for its idle timeout: a Ping every
         * third of it keeps an idle producer's connection (and its next submit fast).
         */
        private void keepAlive(ChannelHandlerContext ctx, long idleTimeoutMs) {
            if (idleTimeoutMs <= 0) {
                return;
            }
            long every = Math.max(100, idleTimeoutMs / 3);
            pings = ctx.executor().scheduleAtFixedRate(() -> ctx.writeAndFlush(Envelope.newBuilder()
                    .setPing(Ping.newBuilder().setNonce(System.nanoTime())).build()), every, every, TimeUnit.MILLISECONDS);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (pings != null) {
                pings.cancel(false);
            }
            if (!helloAnswered) {
                inFlight.connectFailed("the gateway closed the connection before answering Hello");
            }
            inFlight.disconnected(ctx.channel());
            redial();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof TooLongFrameException) {
                inFlight.badAnswer(ctx.channel(), "the gateway's " + cause.getMessage()
                        + " (ProducerSettings.maxAnswerBytes): the connection was closed");
            } else if (cause instanceof DecoderException) {
                inFlight.badAnswer(ctx.channel(), "the gateway sent a frame that cannot be read ("
                        + cause.getMessage() + "): the connection was closed");
            }
            ctx.close(); // anything else (a reset, say) shows as a lost connection
        }
    }
}
