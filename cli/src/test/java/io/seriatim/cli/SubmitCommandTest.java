package io.seriatim.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.seriatim.core.queue.Job;
import io.seriatim.core.queue.KeyedQueue;
import io.seriatim.core.redis.RedisSettings;
import io.seriatim.core.settings.NamespaceSettings;
import io.seriatim.gateway.GatewayServer;
import io.seriatim.gateway.GatewaySettings;
import io.seriatim.testkit.RedisExtension;
import java.io.ByteArrayInputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code seriatim submit} end to end: the command, a real gateway, a real redis-server. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SubmitCommandTest {
    static final String NS = "orders";

    @RegisterExtension
    static final RedisExtension redis = new RedisExtension();

    @TempDir
    Path dir;

    GatewayServer gateway;
    KeyedQueue queue;

    @BeforeEach
    void start() {
        queue = KeyedQueue.open(redis.client(), NamespaceSettings.builder(NS).build());
        gateway = GatewayServer.start(GatewaySettings.builder(RedisSettings.builder(redis.server().uri())
                .connectTimeout(Duration.ofMillis(500)).socketTimeout(Duration.ofMillis(1000)).build())
                .host("127.0.0.1").port(0).build(), new MetricRegistry());
    }

    @AfterEach
    void stop() {
        gateway.close();
        SubmitCommand.stdin = System.in;
    }

    record Run(int exit, String out, String err) {
        List<String> outLines() {
            return out.isEmpty() ? List.of() : List.of(out.split("\n"));
        }
    }

    Run submit(String stdin, String... args) {
        SubmitCommand.stdin = new ByteArrayInputStream(stdin.getBytes(UTF_8));
        String[] all = new String[args.length + 3];
        all[0] = "submit";
        all[1] = "--gateway";
        all[2] = "127.0.0.1:" + gateway.port();
        System.arraycopy(args, 0, all, 3, args.length);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Seriatim.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(all);
        return new Run(exit, out.toString(), err.toString());
    }

    List<Job> jobs(String key) {
        return queue.inspect(key, 1000).head();
    }

    List<String> payloads(String key) {
        return jobs(key).stream().map(j -> new String(j.payload(), UTF_8)).toList();
    }

    static void assertOneLine(Run r, int exit, String... says) {
        assertThat(r.exit()).as(r.err()).isEqualTo(exit);
        assertThat(r.err().strip()).as("one line").doesNotContain("\n").startsWith("seriatim: ")
                .doesNotContain("at io.", "Exception").contains(says);
    }

    @Test
    void oneJobPrintsItsIdAndIsInRedis() {
        Run r = submit("", "-n", NS, "k", "hello");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        List<Job> jobs = jobs("k");
        assertThat(jobs).hasSize(1);
        assertThat(r.out()).isEqualTo(jobs.getFirst().id() + "\n");
        assertThat(new String(jobs.getFirst().payload(), UTF_8)).isEqualTo("hello");
    }

    @Test
    void linesOfStdinAreJobsOfTheKeyInOrder() {
        StringBuilder in = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            in.append("line-").append(i).append(i % 7 == 0 ? "\r\n" : "\n");
        }
        in.append("last without newline");
        Run r = submit(in.toString(), "-n", NS, "--lines", "k");
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> expected = new java.util.ArrayList<>();
        for (int i = 0; i < 500; i++) {
            expected.add("line-" + i);
        }
        expected.add("last without newline");
        assertThat(payloads("k")).isEqualTo(expected);
        assertThat(r.outLines()).isEqualTo(jobs("k").stream().map(j -> Long.toString(j.id())).toList());
        assertThat(submit("x\ny\n", "-n", NS, "--lines", "k2", "-").exit()).isZero();
        assertThat(payloads("k2")).containsExactly("x", "y");
    }

    @Test
    void aLineIsPrintedWhenAnsweredWhileStdinStaysOpen() throws Exception {
        PipedOutputStream feed = new PipedOutputStream();
        SubmitCommand.stdin = new PipedInputStream(feed);
        CountDownLatch firstLine = new CountDownLatch(1);
        StringWriter out = new StringWriter() {
            @Override
            public void flush() {
                if (getBuffer().indexOf("\n") >= 0) { // the command flushes after each line
                    firstLine.countDown();
                }
            }
        };
        CommandLine cli = Seriatim.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(new StringWriter(), true));
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cli.execute("submit", "--gateway",
                "127.0.0.1:" + gateway.port(), "-n", NS, "--lines", "k"));
        feed.write("first\n".getBytes(UTF_8));
        feed.flush();
        assertThat(firstLine.await(20, TimeUnit.SECONDS)).as("the first id, printed before stdin ends").isTrue();
        assertThat(out.toString().strip()).isEqualTo(Long.toString(jobs("k").getFirst().id()));
        feed.write("second\n".getBytes(UTF_8));
        feed.close();
        assertThat(exit.get(20, TimeUnit.SECONDS)).isZero();
        assertThat(payloads("k")).containsExactly("first", "second");
    }

    @Test
    void aFileOrAllOfStdinIsOnePayload() throws Exception {
        Path file = dir.resolve("p.bin");
        Files.write(file, "from\na file".getBytes(UTF_8));
        assertThat(submit("", "-n", NS, "k", "@" + file).exit()).isZero();
        assertThat(submit("all\nof stdin\n", "-n", NS, "k", "-").exit()).isZero();
        assertThat(payloads("k")).containsExactly("from\na file", "all\nof stdin\n");
    }

    @Test
    void headersDelayAndDedupIdTravelAndJsonSaysDuplicateOf() {
        Run first = submit("", "-n", NS, "--json", "--header", "trace=abc", "--header", "a=b=c", "--dedup-id", "order-7",
                "k", "x");
        assertThat(first.exit()).as(first.err()).isZero();
        JsonObject a = JsonParser.parseString(first.out().strip()).getAsJsonObject();
        assertThat(a.get("key").getAsString()).isEqualTo("k");
        long id = a.get("jobId").getAsLong();
        Run again = submit("", "-n", NS, "--json", "--dedup-id", "order-7", "k", "x");
        assertThat(again.exit()).as(again.err()).isZero();
        JsonObject b = JsonParser.parseString(again.out().strip()).getAsJsonObject();
        assertThat(b.has("jobId")).isFalse();
        assertThat(b.get("duplicateOf").getAsLong()).isEqualTo(id);
        assertThat(jobs("k")).hasSize(1);
        assertThat(jobs("k").getFirst().headers()).containsEntry("trace", "abc").containsEntry("a", "b=c");
        assertThat(submit("", "-n", NS, "--delay", "1h", "k", "later").exit()).isZero();
        assertThat(jobs("k")).hasSize(1);
        assertThat(queue.counts().counters()).containsEntry("delayed", 1L);
    }

    @Test
    void anEmptyKeyIsRejectedInOneLine() {
        Run r = submit("", "-n", NS, "", "x");
        assertOneLine(r, ExitCode.USAGE, "rejected: INVALID: key must not be empty");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void anUnknownNamespaceIsRejectedInOneLine() {
        Run r = submit("", "-n", "nope", "k", "x");
        assertOneLine(r, ExitCode.USAGE, "rejected: UNKNOWN_NAMESPACE");
    }

    @Test
    void linesOfAnUnknownNamespaceAreRejectedInOneLineAndACount() {
        Run r = submit("a\nb\nc\n", "-n", "nope", "--lines", "k");
        assertThat(r.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err().strip().split("\n")).hasSize(2);
        assertThat(r.err()).startsWith("seriatim: line 1 of key 'k' rejected: UNKNOWN_NAMESPACE")
                .contains("seriatim: 2 more lines of key 'k' after it: the same").doesNotContain("Exception");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void aRejectedLineIsNamedAndTheOthersStillPrint() {
        String big = "y".repeat(2 * 1024 * 1024);
        Run r = submit("a\n" + big + "\nc\n", "-n", NS, "--lines", "k");
        assertThat(r.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err().strip()).startsWith("seriatim: line 2 of key 'k' rejected: INVALID").doesNotContain("\n");
        assertThat(r.outLines()).hasSize(2);
        assertThat(payloads("k")).containsExactly("a", "c");
    }

    @Test
    void anUnreachableGatewayIsOneLine() throws Exception {
        int dead;
        try (ServerSocket s = new ServerSocket(0)) {
            dead = s.getLocalPort();
        }
        StringWriter err = new StringWriter();
        CommandLine cli = Seriatim.commandLine();
        cli.setOut(new PrintWriter(new StringWriter(), true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute("submit", "--gateway", "127.0.0.1:" + dead, "-n", NS, "k", "x");
        assertOneLine(new Run(exit, "", err.toString()), ExitCode.REDIS_UNAVAILABLE, "nothing was sent",
                "check that a gateway runs there");
    }

    @Test
    void badArgumentsAreOneLineEach() {
        assertOneLine(submit("", "-n", NS, "k"), ExitCode.USAGE, "give a PAYLOAD, @FILE or -");
        assertOneLine(submit("", "-n", NS, "--lines", "k", "x"), ExitCode.USAGE, "--lines reads stdin");
        assertOneLine(submit("", "-n", NS, "--lines", "--dedup-id", "d", "k"), ExitCode.USAGE, "--dedup-id names one job");
        assertOneLine(submit("", "-n", NS, "--header", "novalue", "k", "x"), ExitCode.USAGE, "--header must be NAME=VALUE");
        assertOneLine(submit("", "-n", NS, "--delay", "5", "k", "x"), ExitCode.USAGE, "has no unit");
        assertOneLine(submit("", "-n", NS, "k", "@" + dir.resolve("missing")), ExitCode.USAGE,
                "cannot read the payload file", "no such file or directory");
    }
}
