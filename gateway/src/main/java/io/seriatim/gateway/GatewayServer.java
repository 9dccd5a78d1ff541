package io.seriatim.gateway;

import com.codahale.metrics.MetricRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.seriatim.core.redis.RedisConnector;
import java.net.InetSocketAddress;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * The producer gateway: accepts client connections and enqueues their submits into Redis.
 *
 * <p>Owns, and stops in this order on {@link #close()}: the listening channel, the Netty event
 * loops (one acceptor thread, two I/O threads: they never block), the Redis threads that run
 * enqueues, and the Redis connections. {@link #health()} may be called from any thread.
 */
public final class GatewayServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GatewayServer.class);

    private final EventLoopGroup boss;
    private final EventLoopGroup io;
    private final ExecutorService redisThreads;
    private final UnifiedJedis redis;
    private final Channel listener;
    private volatile boolean closed;

    /** How long {@link #health()} waits for each event loop to run a task. */
    static final Duration HEALTH_WAIT = Duration.ofSeconds(1);

    private GatewayServer(EventLoopGroup boss, EventLoopGroup io, ExecutorService redisThreads, UnifiedJedis redis,
            Channel listener) {
        this.boss = boss;
        this.io = io;
        this.redisThreads = redisThreads;
        this.redis = redis;
        this.listener = listener;
    }

    /**
     * Binds and starts serving; fails at once if the port is taken or TLS files are bad, or if the
     * settings of {@link GatewaySettings#namespaces()} differ from the stored ones
     * ({@link io.seriatim.core.settings.SettingsConflictException}).
     */
    public static GatewayServer start(GatewaySettings settings, MetricRegistry registry) {
        SslContext ssl = null;
        if (settings.tls()) {
            try {
                ssl = SslContextBuilder.forServer(settings.tlsCertificate().toFile(), settings.tlsKey().toFile()).build();
            } catch (Exception e) {
                throw new IllegalArgumentException("cannot load TLS certificate/key: " + e.getMessage(), e);
            }
        }
        UnifiedJedis redis = RedisConnector.connect(settings.redis());
        NamespaceCatalog catalog = new NamespaceCatalog(redis, settings.namespaces());
        try {
            catalog.openStated();
        } catch (RuntimeException e) {
            redis.close();
            throw e;
        }
        AtomicInteger n = new AtomicInteger();
        ExecutorService redisThreads = Executors.newFixedThreadPool(settings.redisThreads(), r -> {
            Thread t = new Thread(r, "seriatim-gateway-redis-" + n.incrementAndGet());
            t.setDaemon(true);
            // Tasks catch everything themselves; this is the last word if something escapes.
            t.setUncaughtExceptionHandler((th, e) -> log.error("{} died: {}", th.getName(), e.toString()));
            return t;
        });
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("seriatim-gateway-accept", true),
                NioIoHandler.newFactory());
        EventLoopGroup io = new MultiThreadIoEventLoopGroup(2, new DefaultThreadFactory("seriatim-gateway-io", true),
                NioIoHandler.newFactory());
        GatewayMetrics metrics = new GatewayMetrics(registry);
        BatchEnqueuer enqueuer = new BatchEnqueuer(catalog, settings, metrics);
        try {
            Channel listener = new ServerBootstrap()
                    .group(boss, io)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    // Past the high mark a channel is not writable: its session starts no batch
                    // and reads nothing until the client has taken its answers below the low one.
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(
                            (int) Math.min(Integer.MAX_VALUE / 2, settings.maxInFlightBytes() / 2),
                            (int) Math.min(Integer.MAX_VALUE, settings.maxInFlightBytes())))
                    .childHandler(new GatewayInitializer(settings, ssl,
                            new ConnectionLimiter(settings.maxConnectionsPerAddress(), metrics),
                            new PartialFrameBudget(settings.maxPartialFrameBytes()), enqueuer, redisThreads, metrics))
                    .bind(settings.host(), settings.port()).syncUninterruptibly().channel();
            GatewayServer server = new GatewayServer(boss, io, redisThreads, redis, listener);
            log.info("gateway listening on {}:{}{}", settings.host(), server.port(), settings.tls() ? " (TLS)" : "");
            String exposed = settings.exposureWarning();
            if (exposed != null) {
                log.warn(exposed);
            }
            return server;
        } catch (Exception e) { // Netty rethrows a failed bind's BindException unchecked, undeclared
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            io.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            redisThreads.shutdownNow();
            redis.close();
            throw new IllegalArgumentException("cannot listen on " + settings.host() + ":" + settings.port() + ": "
                    + (e instanceof UnresolvedAddressException ? "unknown host" : e.getMessage()), e);
        }
    }

    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /**
     * Whether this gateway can serve: null if so, else why not. It cannot when it is stopped, when
     * one of its event loops does not run a task within {@link #HEALTH_WAIT} (its thread died or
     * is stuck: connections would be accepted and never answered), when its Redis threads are
     * gone, or when Redis does not answer PING on the gateway's own connections. For
     * {@code /health}; thread-safe; takes up to a second per event loop and the Redis timeout.
     */
    public String health() {
        if (closed) {
            return "the gateway is stopped";
        }
        for (EventLoopGroup group : List.of(boss, io)) {
            for (EventExecutor loop : group) {
                if (loop.isShuttingDown()) {
                    return "an event loop of the gateway has stopped";
                }
                Future<?> ran = loop.submit(() -> { });
                if (!ran.awaitUninterruptibly(HEALTH_WAIT.toMillis()) || !ran.isSuccess()) {
                    return "an event loop of the gateway did not run a task within " + HEALTH_WAIT.toMillis() + " ms";
                }
            }
        }
        if (redisThreads.isShutdown()) {
            return "the gateway's Redis threads have stopped";
        }
        try {
            redis.ping();
        } catch (RuntimeException e) {
            return "Redis unreachable: " + e.getMessage();
        }
        return null;
    }

    /** The I/O event loops: for the health test, which blocks one. */
    EventLoopGroup ioLoops() {
        return io;
    }

    /** Closes this gateway when the JVM is asked to stop (SIGTERM). Returns this. */
    public GatewayServer closeOnShutdown() {
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("seriatim-gateway-shutdown").unstarted(this::close));
        return this;
    }

    @Override
    public void close() {
        closed = true;
        listener.close().syncUninterruptibly();
        io.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        redisThreads.shutdown();
        try {
            redisThreads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        redis.close();
        log.info("gateway stopped");
    }
}
