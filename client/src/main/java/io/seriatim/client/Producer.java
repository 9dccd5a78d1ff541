package io.seriatim.client;

import com.google.protobuf.ByteString;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.protobuf.ProtobufDecoder;
import io.netty.handler.codec.protobuf.ProtobufEncoder;
import io.netty.handler.codec.protobuf.ProtobufVarint32FrameDecoder;
import io.netty.handler.codec.protobuf.ProtobufVarint32LengthFieldPrepender;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.seriatim.proto.v1.Envelope;
import io.seriatim.proto.v1.Hello;
import io.seriatim.proto.v1.JobResult;
import io.seriatim.proto.v1.Rejection;
import io.seriatim.proto.v1.SubmitBatch;
import io.seriatim.proto.v1.SubmitJob;
import io.seriatim.proto.v1.SubmitResults;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Submits jobs to a Seriatim gateway: {@code submit(key, payload)} returns a future of the job id,
 * completed once the gateway has the job in Redis.
 *
 * <pre>{@code
 * try (Producer producer = Producer.connect(ProducerSettings.builder("gateway.local", 7420, "comments").build())) {
 *     producer.submit("post-A", "first comment".getBytes(UTF_8));
 *     long id = producer.submit("post-A", "second comment".getBytes(UTF_8)).join();
 * }
 * }</pre>
 *
 * <p><b>Order.</b> Jobs of one key submitted through one producer are enqueued in the order
 * {@code submit} was called, through batching, reconnects and retries.
 *
 * <p><b>Exactly-once enqueue on retry.</b> Every batch carries a dedup id; after a lost connection
 * or a gateway that could not reach Redis, the producer resends the same batches, in order, and
 * the gateway enqueues only what it does not have yet (within the namespace's dedup window).
 *
 * <p><b>Threads.</b> Thread-safe. It owns one Netty I/O thread (futures complete on it: do not
 * block in their callbacks; use the {@code *Async} variants for heavy work) and one sender thread
 * that forms batches (up to {@code maxBatchJobs}; while an earlier batch is unanswered it waits at
 * most {@code linger} for more, otherwise it sends at once).
 * {@link #close()} sends what is buffered, waits up to {@code closeTimeout} for answers, fails
 * the rest with {@link SubmitException.Code#CLOSED}, and stops both threads.
 */
public final class Producer implements AutoCloseable {
    private static final int PROTOCOL_VERSION = 1;

    /** One submitted job waiting for its answer. */
    private record Pending(SubmitJob job, CompletableFuture<Long> future, long deadlineNanos) {}

    /** A batch as sent; resent byte for byte so the gateway's dedup recognises it. */
    private record Batch(long requestId, List<Pending> jobs, Envelope message) {}

    private final ProducerSettings settings;
    private final EventLoopGroup io = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Bootstrap bootstrap;
    private final LinkedBlockingQueue<Pending> buffer;
    private final String session = UUID.randomUUID().toString();
    private final Thread sender;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Batches to send (new, or to resend after a reconnect), by request id. Guarded by lock. */
    private final TreeMap<Long, Batch> waiting = new TreeMap<>();
    /** Batches sent on the current connection and not answered. Guarded by lock. */
    private final TreeMap<Long, Batch> unanswered = new TreeMap<>();
    private Channel ready; // guarded by lock: the connection once Hello was answered, else null
    private volatile boolean closing; // written under lock
    private volatile SubmitException fatal; // written under lock: the gateway refused us for good
    private long nextRequestId = 1; // sender thread only
    private long reconnectDelayMs = 50; // I/O thread only

    private Producer(ProducerSettings settings) {
        this.settings = settings;
        this.buffer = new LinkedBlockingQueue<>(settings.maxBufferedJobs());
        SslContext ssl = null;
        if (settings.tls()) {
            try {
                SslContextBuilder b = SslContextBuilder.forClient();
                if (settings.trustCertificate() != null) {
                    b.trustManager(settings.trustCertificate().toFile());
                }
                ssl = b.build();
            } catch (Exception e) {
                throw new IllegalArgumentException("cannot set up TLS: " + e.getMessage(), e);
            }
        }
        SslContext tls = ssl;
        this.bootstrap = new Bootstrap().group(io).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc(), settings.host(), settings.port()));
                        }
                        ch.pipeline().addLast(new ProtobufVarint32FrameDecoder(),
                                new ProtobufDecoder(Envelope.getDefaultInstance()),
                                new ProtobufVarint32LengthFieldPrepender(), new ProtobufEncoder(), new Handler());
                    }
                });
        this.sender = Thread.ofPlatform().name("seriatim-producer-sender").daemon().unstarted(this::sendLoop);
    }

    /** Starts a producer; it connects in the background and buffers submits meanwhile. */
    public static Producer connect(ProducerSettings settings) {
        Producer p = new Producer(settings);
        p.sender.start();
        p.io.execute(p::dial);
        p.io.scheduleAtFixedRate(p::expire, 100, 100, TimeUnit.MILLISECONDS);
        return p;
    }

    /** Submits a job; the future completes with its id once the gateway has it in Redis. */
    public CompletableFuture<Long> submit(String key, byte[] payload) {
        return submit(key, payload, SubmitOptions.NONE);
    }

    /** Submits a job with headers, a delay or run-at time, or your own dedup id. */
    public CompletableFuture<Long> submit(String key, byte[] payload, SubmitOptions options) {
        CompletableFuture<Long> future = new CompletableFuture<>();
        SubmitException refused = fatal; // volatile reads: no lock on the submit path
        if (refused != null || closing) {
            future.completeExceptionally(refused != null ? refused
                    : new SubmitException(SubmitException.Code.CLOSED, "producer is closed"));
            return future;
        }
        SubmitJob.Builder job = SubmitJob.newBuilder().setKey(key).setPayload(ByteString.copyFrom(payload));
        if (!options.headers().isEmpty()) {
            job.putAllHeaders(options.headers()); // even an empty putAll costs a map per job
        }
        if (options.dedupId() != null) {
            job.setDedupId(options.dedupId());
        }
        if (options.delay() != null) {
            job.setDelayMs(options.delay().toMillis());
        } else if (options.runAt() != null) {
            job.setRunAtMs(options.runAt().toEpochMilli());
        }
        Pending p = new Pending(job.build(), future, System.nanoTime() + settings.requestTimeout().toNanos());
        try {
            if (!buffer.offer(p, settings.bufferTimeout().toNanos(), TimeUnit.NANOSECONDS)) {
                future.completeExceptionally(new SubmitException(SubmitException.Code.BUFFER_FULL,
                        "buffer of " + settings.maxBufferedJobs() + " jobs stayed full for " + settings.bufferTimeout()));
            } else if (fatal != null) {
                // close() or a refusal set fatal, then emptied the buffer for the last time:
                // a job that got in since would never be sent, so fail what is left now.
                List<Pending> stranded = new ArrayList<>();
                buffer.drainTo(stranded);
                SubmitException reason = fatal;
                stranded.forEach(s -> s.future().completeExceptionally(reason));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.completeExceptionally(e);
        }
        return future;
    }

    // ------------------------------------------------------------ sender thread

    private void sendLoop() {
        List<Pending> jobs = new ArrayList<>(settings.maxBatchJobs());
        while (true) {
            Channel ch;
            Batch resend = null;
            lock.lock();
            try {
                while ((ready == null || unanswered.size() >= settings.maxInFlight()) && !done()) {
                    changed.await(100, TimeUnit.MILLISECONDS);
                }
                if (done()) {
                    return;
                }
                ch = ready;
                if (!waiting.isEmpty()) {
                    resend = waiting.pollFirstEntry().getValue();
                    unanswered.put(resend.requestId(), resend);
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            if (resend != null) {
                ch.writeAndFlush(resend.message());
                continue;
            }
            if (!fill(jobs)) {
                continue;
            }
            Batch batch = batch(jobs);
            jobs.clear();
            lock.lock();
            try {
                if (ready == ch) {
                    unanswered.put(batch.requestId(), batch);
                } else {
                    waiting.put(batch.requestId(), batch); // the connection dropped meanwhile
                    continue;
                }
            } finally {
                lock.unlock();
            }
            ch.writeAndFlush(batch.message());
        }
    }

    /**
     * Waits briefly for a first job, then takes what is buffered and, while an earlier batch is
     * still unanswered, lingers for more; false if none came. Lingering only while busy keeps a
     * lone submit fast (an idle connection sends it at once) and still forms large batches under
     * load, when there is always a batch in flight to wait for anyway.
     */
    private boolean fill(List<Pending> jobs) {
        try {
            Pending first = buffer.poll(100, TimeUnit.MILLISECONDS);
            if (first == null) {
                return false;
            }
            jobs.add(first);
            long until = System.nanoTime() + (busy() ? settings.linger().toNanos() : 0);
            while (jobs.size() < settings.maxBatchJobs()) {
                if (buffer.drainTo(jobs, settings.maxBatchJobs() - jobs.size()) > 0) {
                    continue;
                }
                long left = until - System.nanoTime();
                Pending next = left > 0 ? buffer.poll(left, TimeUnit.NANOSECONDS) : null;
                if (next == null) {
                    break;
                }
                jobs.add(next);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        jobs.removeIf(p -> p.future().isDone()); // timed out while buffered
        return !jobs.isEmpty();
    }

    private boolean busy() {
        lock.lock();
        try {
            return !unanswered.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    private Batch batch(List<Pending> jobs) {
        long id = nextRequestId++;
        SubmitBatch.Builder b = SubmitBatch.newBuilder().setRequestId(id).setNamespace(settings.namespace())
                .setBatchDedupId(session + ":" + id);
        for (Pending p : jobs) {
            b.addJobs(p.job());
        }
        return new Batch(id, List.copyOf(jobs), Envelope.newBuilder().setSubmit(b).build());
    }

    private boolean done() {
        return closing && buffer.isEmpty() && waiting.isEmpty() && unanswered.isEmpty() || fatal != null;
    }

    // ------------------------------------------------------------ I/O thread

    private void dial() {
        bootstrap.connect(settings.host(), settings.port()).addListener(f -> {
            if (!f.isSuccess()) {
                redial();
            }
        });
    }

    private void redial() {
        lock.lock();
        try {
            if (fatal != null || closing && waiting.isEmpty() && unanswered.isEmpty() && buffer.isEmpty()) {
                return;
            }
        } finally {
            lock.unlock();
        }
        long delay = reconnectDelayMs;
        reconnectDelayMs = Math.min(reconnectDelayMs * 2, settings.reconnectMax().toMillis());
        if (!io.isShuttingDown()) {
            io.schedule(this::dial, delay, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Fails submits past their request timeout; drops batches whose jobs all failed so. Every job
     * gets the same timeout, so deadlines nearly follow submit order: only the oldest jobs of the
     * buffer and of each batch need looking at. (Scanning the whole buffer every 100 ms took 40%
     * of the client's CPU at 100,000 buffered jobs.)
     */
    private void expire() {
        long now = System.nanoTime();
        // Submitters that waited for buffer space can enter it out of deadline order, but by
        // at most bufferTimeout: past a job due later than that, none behind it is due.
        long horizon = settings.bufferTimeout().toNanos();
        lock.lock();
        try {
            for (Map<Long, Batch> m : List.of(waiting, unanswered)) {
                for (Batch b : m.values()) {
                    if (b.jobs().get(0).deadlineNanos() - now <= horizon) {
                        b.jobs().forEach(p -> timeOut(p, now));
                    }
                }
            }
            waiting.values().removeIf(b -> b.jobs().stream().allMatch(p -> p.future().isDone()));
        } finally {
            lock.unlock();
        }
        boolean removed = false;
        for (Pending p : buffer) {
            if (p.deadlineNanos() - now > horizon) {
                break;
            }
            if (due(p, now) && !p.future().isDone()) {
                timeOut(p, now);
                removed = true;
            }
        }
        if (removed) {
            buffer.removeIf(p -> p.future().isDone()); // rare: only when something timed out
            lock.lock();
            try {
                changed.signalAll(); // close() may be waiting for the buffer to empty
            } finally {
                lock.unlock();
            }
        }
    }

    private static boolean due(Pending p, long now) {
        return now - p.deadlineNanos() > 0;
    }

    private void timeOut(Pending p, long now) {
        if (due(p, now) && !p.future().isDone()) {
            p.future().completeExceptionally(new SubmitException(SubmitException.Code.TIMED_OUT,
                    "not acknowledged within " + settings.requestTimeout() + " (it may still have been enqueued)"));
        }
    }

    private final class Handler extends SimpleChannelInboundHandler<Envelope> {
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
                    reconnectDelayMs = 50;
                    lock.lock();
                    try {
                        ready = ctx.channel();
                        changed.signalAll();
                    } finally {
                        lock.unlock();
                    }
                }
                case RESULTS -> answered(ctx, env.getResults());
                case ERROR -> refused(ctx, env.getError());
                default -> { }
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            lock.lock();
            try {
                if (ready == ctx.channel()) {
                    ready = null;
                }
                // Everything not answered goes again, in the original order, on the next connection.
                waiting.putAll(unanswered);
                unanswered.clear();
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            redial();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private void answered(ChannelHandlerContext ctx, SubmitResults results) {
        Batch b;
        lock.lock();
        try {
            b = unanswered.remove(results.getRequestId());
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (b == null) {
            return;
        }
        boolean resend = false;
        for (int i = 0; i < b.jobs().size() && i < results.getResultsCount(); i++) {
            JobResult r = results.getResults(i);
            CompletableFuture<Long> f = b.jobs().get(i).future();
            switch (r.getOutcomeCase()) {
                case JOB_ID -> f.complete(r.getJobId());
                case DUPLICATE_OF -> f.complete(r.getDuplicateOf());
                case REJECTED -> {
                    Rejection.Code code = r.getRejected().getCode();
                    if (code == Rejection.Code.UNAVAILABLE) {
                        resend = true;
                    } else {
                        f.completeExceptionally(new SubmitException(code == Rejection.Code.UNKNOWN_NAMESPACE
                                ? SubmitException.Code.UNKNOWN_NAMESPACE : SubmitException.Code.INVALID,
                                r.getRejected().getReason()));
                    }
                }
                default -> f.completeExceptionally(new SubmitException(SubmitException.Code.INVALID, "empty result"));
            }
        }
        if (resend) {
            // The gateway wrote nothing after this batch and closes the connection: resend it and
            // everything after it, in order, once reconnected.
            lock.lock();
            try {
                waiting.put(b.requestId(), b);
            } finally {
                lock.unlock();
            }
            ctx.close();
        }
    }

    private void refused(ChannelHandlerContext ctx, io.seriatim.proto.v1.Error error) {
        switch (error.getCode()) {
            case UNAUTHENTICATED, UNSUPPORTED_VERSION -> {
                SubmitException e = new SubmitException(SubmitException.Code.REFUSED_CONNECTION,
                        "gateway refused the connection: " + error.getCode() + ": " + error.getMessage());
                List<Pending> failed = new ArrayList<>();
                lock.lock();
                try {
                    fatal = e;
                    waiting.values().forEach(b -> failed.addAll(b.jobs()));
                    unanswered.values().forEach(b -> failed.addAll(b.jobs()));
                    waiting.clear();
                    unanswered.clear();
                    changed.signalAll();
                } finally {
                    lock.unlock();
                }
                buffer.drainTo(failed);
                failed.forEach(p -> p.future().completeExceptionally(e));
            }
            default -> { } // timeouts, too many connections: the connection closes and we redial
        }
        ctx.close();
    }

    // ------------------------------------------------------------ close

    /**
     * Sends what is buffered, waits up to {@code closeTimeout} for the answers, fails whatever is
     * left with {@link SubmitException.Code#CLOSED}, and stops the producer's threads.
     */
    @Override
    public void close() {
        long until = System.nanoTime() + settings.closeTimeout().toNanos();
        lock.lock();
        try {
            closing = true;
            changed.signalAll();
            while (!done() && System.nanoTime() < until) {
                changed.await(50, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
        List<Pending> left = new ArrayList<>();
        lock.lock();
        try {
            waiting.values().forEach(b -> left.addAll(b.jobs()));
            unanswered.values().forEach(b -> left.addAll(b.jobs()));
            waiting.clear();
            unanswered.clear();
            if (fatal == null) {
                fatal = new SubmitException(SubmitException.Code.CLOSED, "producer closed before the gateway answered");
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        buffer.drainTo(left);
        SubmitException closed = new SubmitException(SubmitException.Code.CLOSED,
                "producer closed before the gateway answered");
        left.forEach(p -> p.future().completeExceptionally(closed));
        sender.interrupt();
        try {
            sender.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        io.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
