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
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code seriatim submit}: one job, or one job per line of stdin, through the gateway with the
 * Java client. Lines are submitted as they are read and their answers printed in order as they
 * come, so a long stream neither waits for its end nor holds every answer in memory (the
 * producer's buffer bounds what is unanswered).
 */
@Command(name = "submit", mixinStandardHelpOptions = true,
        description = {"Submit a job of KEY through the gateway and print its job id.",
            "PAYLOAD is the payload itself, @FILE reads it from a file, - reads all of stdin as one payload.",
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
        try (Producer producer = Producer.connect(gateway.settings().build())) {
            if (single != null) {
                printer.add(producer.submitAcknowledged(key, single, options));
            } else {
                LineReader reader = new LineReader(stdin);
                for (byte[] line = reader.next(); line != null; line = reader.next()) {
                    printer.add(producer.submitAcknowledged(key, line, options));
                    printer.printDone();
                }
            }
            printer.printAll();
        } finally {
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

    /** Prints the answers in submit order as they complete; remembers the exit code of the worst. */
    private final class Printer {
        private final ArrayDeque<CompletableFuture<Acknowledgement>> pending = new ArrayDeque<>();
        private final PrintWriter out;
        private final PrintWriter err;
        private long printed;
        int exit = ExitCode.OK;

        Printer(PrintWriter out, PrintWriter err) {
            this.out = out;
            this.err = err;
        }

        void add(CompletableFuture<Acknowledgement> f) {
            pending.add(f);
        }

        /** Prints what has been answered at the head, without waiting. */
        void printDone() throws InterruptedException {
            while (!pending.isEmpty() && pending.peek().isDone()) {
                print(pending.poll());
            }
        }

        void printAll() throws InterruptedException {
            while (!pending.isEmpty()) {
                print(pending.poll());
            }
        }

        private void print(CompletableFuture<Acknowledgement> f) throws InterruptedException {
            printed++;
            try {
                Acknowledgement ack = f.get();
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
                String which = lines ? "line " + printed : "the job";
                if (e.getCause() instanceof SubmitException s) {
                    boolean refused = s.code() == SubmitException.Code.INVALID || s.code() == SubmitException.Code.UNKNOWN_NAMESPACE;
                    err.println("seriatim: " + which + " of key '" + key + "'" + (refused ? " rejected: " : " failed: ") + s.code()
                            + ": " + s.getMessage());
                    exit = Math.max(exit, refused ? ExitCode.USAGE : ExitCode.REDIS_UNAVAILABLE);
                } else {
                    err.println("seriatim: " + which + " of key '" + key + "' failed: " + e.getCause());
                    exit = Math.max(exit, ExitCode.REDIS_UNAVAILABLE);
                }
                err.flush();
            }
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
