package io.seriatim.client;

import com.google.protobuf.ByteString;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.seriatim.proto.v1.SubmitJob;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

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
 * <p><b>Failures.</b> A future fails with a {@link SubmitException} whose {@link
 * SubmitException#outcome() outcome} says whether the job can be in Redis: {@code NOT_SENT} (safe
 * to submit again), {@code NOT_ENQUEUED} (the gateway said no) or {@code UNKNOWN} (sent, not
 * answered), or with the {@link InterruptedException} of a submitter interrupted while it waited
 * for buffer room. {@link #connect} itself fails at once if the gateway cannot be reached.
 *
 * <p><b>Threads.</b> Thread-safe. Its parts: {@link InFlight} holds every job from submit to
 * answer, under its own lock; {@link Sender} forms and writes batches on its thread,
 * "seriatim-producer-sender"; {@link Connection} dials and reads the gateway's answers on the
 * producer's one I/O thread, "seriatim-producer-io", which also runs the timeout scan every
 * timeoutScanInterval. This class owns both threads: it starts them in {@link #connect} and stops
 * them in {@link #close()}. A submit runs on the caller's thread and blocks only while the buffer
 * is full. Futures complete on the I/O thread (answers, timeouts) or the closing thread: do not
 * block in their callbacks (use the {@code *Async} variants for heavy work), and do not call
 * {@link #close()} from one.
 */
public final class Producer implements AutoCloseable {
    private final ProducerSettings settings;
    private final InFlight<Channel> inFlight;
    private final EventLoopGroup io;
    private final Connection connection;
    private final Sender sender;

    private Producer(ProducerSettings settings, EventLoopGroup io) {
        this.settings = settings;
        this.io = io;
        this.inFlight = new InFlight<>(settings);
        GatewayLimits limits = new GatewayLimits();
        this.connection = new Connection(settings, io, inFlight, limits);
        this.sender = new Sender(settings, inFlight, limits);
    }

    /**
     * Connects to the gateway and starts a producer. It waits for the TCP connection (up to
     * connectTimeout), not for the gateway's Hello: submits made meanwhile are buffered. Once
     * connected, it reconnects by itself whenever the connection is lost.
     *
     * @throws SubmitException {@link SubmitException.Code#UNREACHABLE} if the gateway cannot be
     *         reached (connection refused, unknown host, no answer within connectTimeout):
     *         nothing was sent
     * @throws IllegalArgumentException if TLS cannot be set up from the settings
     */
    public static Producer connect(ProducerSettings settings) {
        EventLoopGroup io = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("seriatim-producer-io"),
                NioIoHandler.newFactory());
        Producer p;
        try {
            p = new Producer(settings, io);
            p.connection.open();
        } catch (RuntimeException e) {
            io.shutdownGracefully(0, settings.closeJoin().toMillis(), TimeUnit.MILLISECONDS);
            throw e;
        }
        p.sender.start();
        long scan = settings.timeoutScanInterval().toNanos();
        io.scheduleAtFixedRate(() -> p.inFlight.expire(System.nanoTime()), scan, scan, TimeUnit.NANOSECONDS);
        return p;
    }

    /** Submits a job; the future completes with its id once the gateway has it in Redis. */
    public CompletableFuture<Long> submit(String key, byte[] payload) {
        return submit(key, payload, SubmitOptions.NONE);
    }

    /** Submits a job with headers, a delay or run-at time, or your own dedup id. */
    public CompletableFuture<Long> submit(String key, byte[] payload, SubmitOptions options) {
        CompletableFuture<Long> future = new CompletableFuture<>();
        add(key, payload, options, future);
        return future;
    }

    /**
     * Submits a job like {@link #submit(String, byte[], SubmitOptions)}, and says in the answer
     * whether the gateway already had it under the same dedup id.
     */
    public CompletableFuture<Acknowledgement> submitAcknowledged(String key, byte[] payload, SubmitOptions options) {
        AckFuture future = new AckFuture();
        add(key, payload, options, future);
        return future.thenApply(id -> new Acknowledgement(id, future.duplicate()));
    }

    private void add(String key, byte[] payload, SubmitOptions options, CompletableFuture<Long> future) {
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
        inFlight.add(new PendingJob(job.build(), future, System.nanoTime() + settings.requestTimeout().toNanos()));
    }

    /**
     * Sends what is buffered, waits up to closeTimeout for the answers, fails whatever is left
     * with {@link SubmitException.Code#CLOSED}, then stops the sender and the I/O thread, waiting
     * up to closeJoin for each. Calling it again does nothing more.
     */
    @Override
    public void close() {
        inFlight.close(System.nanoTime() + settings.closeTimeout().toNanos());
        sender.stop(settings.closeJoin());
        io.shutdownGracefully(0, settings.closeJoin().toMillis(), TimeUnit.MILLISECONDS)
                .awaitUninterruptibly(settings.closeJoin().toMillis());
    }
}
