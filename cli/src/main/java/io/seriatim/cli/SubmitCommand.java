package io.seriatim.cli;

import com.google.gson.JsonObject;
import io.seriatim.client.Acknowledgement;
import io.seriatim.client.Producer;
import io.seriatim.client.SubmitException;
import io.seriatim.client.SubmitOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code seriatim submit}: one job, or one job per line of stdin, through the gateway with the
 * Java client. Lines are submitted as they are read and their answers printed in order as they
 * come (see {@link Printer}), so a long stream neither waits for its end nor holds every answer
 * in memory (the producer's buffer bounds what is unanswered; a submit blocks while it is full).
 *
 * <p>Threads: the command's thread reads stdin and submits; the printer's thread prints; the
 * producer's own threads send and answer.
 */
@Command(name = "submit", mixinStandardHelpOptions = true,
        description = {"Submit a job of KEY through the gateway and print its job id.",
            "PAYLOAD is the payload itself (its UTF-8), @FILE reads it from a file, - reads all of stdin as one",
            "payload (the way to send one that starts with @; one that starts with - may also follow --).",
            "With --lines, each line of stdin (without its \\n or \\r\\n) is a job of KEY, submitted in order.",
            "--json prints {\"key\",\"jobId\"} per job, or {\"key\",\"duplicateOf\"} when the gateway already had it",
            "under the same dedup id. Exit 0 when every job was acknowledged; a rejected job is one line",
            "(its code and reason) and exit 2; a gateway that cannot be reached, or a job whose outcome is",
            "not known, exit 3."})
final class SubmitCommand implements Callable<Integer> {
    /** Where {@code -} and {@code --lines} read from; a test swaps it. */
    static InputStream stdin = System.in;

    @Mixin GatewayOptions gateway;
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "KEY", description = "the ordering key")
    String key;

    @Parameters(index = "1", arity = "0..1", paramLabel = "PAYLOAD|@FILE|-", description = "the payload, @FILE, or - for stdin")
    String payload;

    @Option(names = "--lines", description = "submit each line of stdin as its own job of KEY, in order")
    boolean lines;

    @Option(names = "--header", paramLabel = "NAME=VALUE", description = "a header of every job (repeatable)")
    List<String> headers;

    @Option(names = "--delay", paramLabel = "DURATION", description = "run no earlier than this from now (" + DurationConverter.FORMS + ")")
    Duration delay;

    @Option(names = "--dedup-id", paramLabel = "ID", description = "the job's own dedup id: while the namespace remembers it, the same id submits once")
    String dedupId;

    @Option(names = "--json", description = "one JSON object per job instead of the bare id")
    boolean json;

    @Override
    public Integer call() throws Exception {
        SubmitOptions options = options();
        if (lines && payload != null && !payload.equals("-")) {
            throw new IllegalArgumentException("--lines reads stdin: give - or no PAYLOAD, got '" + payload + "'");
        }
        if (lines && dedupId != null) {
            throw new IllegalArgumentException("--dedup-id names one job; with --lines every line would share it and only the first"
                    + " would be enqueued");
        }
        if (!lines && payload == null) {
            throw new IllegalArgumentException("give a PAYLOAD, @FILE or - (all of stdin), or --lines for one job per line");
        }
        byte[] single = lines ? null : payload();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Printer printer = new Printer(out, err);
        Thread printing = Thread.ofPlatform().name("seriatim-submit-printer").start(printer);
        try (Producer producer = Producer.connect(gateway.settings().build())) {
            if (single != null) {
                printer.add(producer.submitAcknowledged(key, single, options));
            } else {
                LineReader reader = new LineReader(stdin);
                for (byte[] line = reader.next(); line != null; line = reader.next()) {
                    printer.add(producer.submitAcknowledged(key, line, options));
                }
            }
            printer.end(printing);
        } finally {
            // After close: every future is complete (answered, or failed CLOSED), so the printer ends.
            printer.end(printing);
            out.flush();
            err.flush();
        }
        return printer.exit;
    }

    private SubmitOptions options() {
        Map<String, String> h = new LinkedHashMap<>();
        for (String header : headers == null ? List.<String>of() : headers) {
            int eq = header.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("--header must be NAME=VALUE, got '" + header + "'");
            }
            if (h.put(header.substring(0, eq), header.substring(eq + 1)) != null) {
                throw new IllegalArgumentException("--header " + header.substring(0, eq) + " is given twice");
            }
        }
        if (delay != null && delay.isNegative()) {
            throw new IllegalArgumentException("--delay must not be negative, got " + delay);
        }
        SubmitOptions o = SubmitOptions.NONE.withHeaders(h).withDedupId(dedupId);
        return delay == null ? o : o.withDelay(delay);
    }

    private byte[] payload() throws IOException {
        if (payload.equals("-")) {
            return stdin.readAllBytes();
        }
        if (payload.startsWith("@")) {
            Path file = Path.of(payload.substring(1));
            try {
                return Files.readAllBytes(file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the payload file " + file, e);
            }
        }
        return payload.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Prints the answers in submit order as they come, on its own thread, so that a line's id is
     * printed as soon as it is answered even while stdin is quiet ({@code tail -f | seriatim submit
     * --lines}), and so that a slow stdout never holds up the producer's I/O thread. Remembers the
     * exit code of the worst outcome; read {@link #exit} after {@link #end}.
     */
    private final class Printer implements Runnable {
        private final BlockingQueue<CompletableFuture<Acknowledgement>> pending = new LinkedBlockingQueue<>();
        private final CompletableFuture<Acknowledgement> last = new CompletableFuture<>();
        private final PrintWriter out;
        private final PrintWriter err;
        private long printed;
        /** The last failure's line without its line number, and how many after it said the same. */
        private String lastFailure;
        private long sameAgain;
        volatile int exit = ExitCode.OK;

        Printer(PrintWriter out, PrintWriter err) {
            this.out = out;
            this.err = err;
        }

        void add(CompletableFuture<Acknowledgement> f) {
            pending.add(f);
        }

        /** Lets the printer print what is queued and stop, and waits for it. */
        void end(Thread printing) throws InterruptedException {
            pending.add(last);
            printing.join();
        }

        @Override
        public void run() {
            try {
                for (CompletableFuture<Acknowledgement> f = pending.take(); f != last; f = pending.take()) {
                    print(f);
                }
                reportSameAgain();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void print(CompletableFuture<Acknowledgement> f) throws InterruptedException {
            printed++;
            try {
                Acknowledgement ack = f.get();
                reportSameAgain();
                lastFailure = null;
                if (json) {
                    JsonObject o = new JsonObject();
                    o.addProperty("key", key);
                    o.addProperty(ack.duplicate() ? "duplicateOf" : "jobId", ack.jobId());
                    out.println(o);
                } else {
                    out.println(ack.jobId());
                }
                out.flush();
            } catch (ExecutionException e) {
                String what;
                if (e.getCause() instanceof SubmitException s) {
                    boolean refused = s.code() == SubmitException.Code.INVALID || s.code() == SubmitException.Code.UNKNOWN_NAMESPACE;
                    what = (refused ? " rejected: " : " failed: ") + s.code() + ": " + s.getMessage();
                    exit = Math.max(exit, refused ? ExitCode.USAGE : ExitCode.REDIS_UNAVAILABLE);
                } else {
                    what = " failed: " + e.getCause();
                    exit = Math.max(exit, ExitCode.REDIS_UNAVAILABLE);
                }
                // Every line of an unknown namespace, or of a gateway gone for good, fails alike: say it once.
                if (what.equals(lastFailure)) {
                    sameAgain++;
                    return;
                }
                reportSameAgain();
                lastFailure = what;
                err.println("seriatim: " + (lines ? "line " + printed : "the job") + " of key '" + key + "'" + what);
                err.flush();
            }
        }

        private void reportSameAgain() {
            if (sameAgain > 0) {
                err.println("seriatim: " + sameAgain + " more line" + (sameAgain == 1 ? "" : "s") + " of key '" + key
                        + "' after it: the same");
                err.flush();
            }
            sameAgain = 0;
        }
    }

    /** Lines of a byte stream without their {@code \n} or {@code \r\n}; bytes, not text, so any payload passes as it is. */
    static final class LineReader {
        private final InputStream in;
        private final byte[] buffer = new byte[8192];
        private int pos;
        private int end;

        LineReader(InputStream in) {
            this.in = in;
        }

        /** The next line, or null at the end; a last line without a line end counts, an empty rest does not. */
        byte[] next() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            boolean any = false;
            while (true) {
                if (pos == end) {
                    end = in.read(buffer);
                    pos = 0;
                    if (end <= 0) {
                        end = 0;
                        return any ? strip(line.toByteArray()) : null;
                    }
                }
                any = true;
                int start = pos;
                while (pos < end && buffer[pos] != '\n') {
                    pos++;
                }
                line.write(buffer, start, pos - start);
                if (pos < end) {
                    pos++; // the \n
                    return strip(line.toByteArray());
                }
            }
        }

        private static byte[] strip(byte[] line) {
            return line.length > 0 && line[line.length - 1] == '\r' ? java.util.Arrays.copyOf(line, line.length - 1) : line;
        }
    }
}
