package io.seriatim.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.seriatim.core.queue.Job;
import io.seriatim.core.queue.KeyInspection;
import io.seriatim.core.queue.KeyedQueue;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Python client (clients/python) against a real gateway on a real redis-server: its own tests
 * run as {@code python3 -m unittest}, then this checks in Redis what they submitted (order, one
 * enqueue per resent batch, nothing of a refused batch) and, from their report, the codes they got.
 *
 * <p>Here rather than in cli: the Python client speaks only the gateway's protocol, and this module
 * already starts real gateways (GatewayTestSupport) without cli's worker and sweeper.
 */
class PythonClientTest extends GatewayTestSupport {
    /** Small, so that a batch over it is cheap to send. */
    static final int MAX_BATCH_JOBS = 50;

    @TempDir
    Path dir;

    @Test
    void thePythonClientsTestsPassAndWhatTheySubmittedIsInRedisInOrderAndOnce() throws Exception {
        Path python = onPath("python3");
        assumeTrue(python != null, "python3 is not on the PATH, so the Python client's tests did not run"
                + " (install the Debian package python3; .ci/run does)");
        Path root = repositoryRoot();
        KeyedQueue q = queue();
        GatewayServer g = gateway(gatewaySettings().maxBatchJobs(MAX_BATCH_JOBS).build());
        Path report = dir.resolve("report.jsonl");
        Path output = dir.resolve("python.out");
        ProcessBuilder pb = new ProcessBuilder(python.toString(), "-m", "unittest", "discover", "-s", "clients/python/tests", "-v")
                .directory(root.toFile()).redirectErrorStream(true).redirectOutput(output.toFile());
        pb.environment().put("SERIATIM_GATEWAY", "127.0.0.1:" + g.port());
        pb.environment().put("SERIATIM_NAMESPACE", NS);
        pb.environment().put("SERIATIM_REPORT", report.toString());
        pb.environment().remove("SERIATIM_AUTH_TOKEN");
        pb.environment().put("PYTHONDONTWRITEBYTECODE", "1"); // no __pycache__ left in the source tree
        Process p = pb.start();
        boolean ended = p.waitFor(180, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String out = Files.readString(output, StandardCharsets.UTF_8);
        System.out.println("[python3 -m unittest discover -s clients/python/tests -v]\n" + out);
        assertThat(ended).as("python tests ended within 180 s:\n%s", out).isTrue();
        assertThat(p.exitValue()).as("python tests' exit code:\n%s", out).isZero();
        assertThat(out).as("none skipped: the gateway's address reached them").doesNotContain("skipped");

        Map<String, JsonObject> seen = readReport(report);
        assertThat(seen).containsOnlyKeys("order", "own_dedup", "resend", "lost_connection", "empty_key",
                "unknown_namespace", "too_large", "errors");

        // Order: one key's jobs across many batches of 7, then a lone submit, in submit order.
        int orderJobs = seen.get("order").get("jobs").getAsInt();
        assertThat(payloads(q, "py-order")).isEqualTo(numbers(orderJobs - 1));
        assertThat(payloads(q, "py-order-b")).isEqualTo(numbers(orderJobs - 2));
        assertThat(ids(q, "py-order").getLast()).isEqualTo(seen.get("order").get("last_id").getAsLong());

        // The job's own dedup id: the second submit was answered duplicate_of the first, one job in Redis.
        JsonObject own = seen.get("own_dedup");
        assertThat(own.get("duplicate_of").getAsLong()).isEqualTo(own.get("job_id").getAsLong());
        KeyInspection ownKey = q.inspect("py-own-dedup", 10);
        assertThat(ownKey.pending()).isEqualTo(1);
        assertThat(ownKey.head().getFirst().id()).isEqualTo(own.get("job_id").getAsLong());
        assertThat(ownKey.head().getFirst().headers()).containsEntry("trace", "abc");
        assertThat(q.counts().counters()).containsEntry("delayed", 1L);

        // The same batch sent twice: enqueued once, the second answer duplicate_of the first's ids.
        JsonObject resend = seen.get("resend");
        assertThat(resend.get("second")).isEqualTo(resend.get("first"));
        assertThat(payloads(q, "py-resend")).containsExactly("r0", "r1", "r2");
        assertThat(ids(q, "py-resend")).isEqualTo(longs(resend.getAsJsonArray("first")));

        // A batch whose answer was lost with its connection, resent by the producer: each job once, in order.
        JsonObject lost = seen.get("lost_connection");
        assertThat(payloads(q, "py-lost")).isEqualTo(IntStream.range(0, 12).mapToObj(i -> "l" + i).toList());
        assertThat(ids(q, "py-lost")).isEqualTo(longs(lost.getAsJsonArray("ids")));

        // Errors: an empty key INVALID (the rest of its batch went in), an unknown namespace, Error frames.
        assertThat(seen.get("empty_key").get("code").getAsString()).isEqualTo("INVALID");
        assertThat(payloads(q, "py-mixed")).containsExactly("a", "c");
        assertThat(seen.get("unknown_namespace").get("code").getAsString()).isEqualTo("UNKNOWN_NAMESPACE");
        assertThat(seen.get("errors").getAsJsonArray("codes").toString()).isEqualTo("[\"UNSUPPORTED_VERSION\",\"BAD_FRAME\"]");

        // A batch over max_batch_jobs: refused whole, nothing of it enqueued; the producer splits instead.
        JsonObject tooLarge = seen.get("too_large");
        assertThat(tooLarge.get("code").getAsString()).isEqualTo("BATCH_TOO_LARGE");
        assertThat(tooLarge.get("limit").getAsInt()).isEqualTo(MAX_BATCH_JOBS);
        assertThat(q.inspect("py-too-large", 10).pending()).isZero();
        assertThat(payloads(q, "py-split")).isEqualTo(numbers(MAX_BATCH_JOBS));
    }

    /** "0" to "last", as strings. */
    private static List<String> numbers(int last) {
        return IntStream.rangeClosed(0, last).mapToObj(Integer::toString).toList();
    }

    private static List<Long> ids(KeyedQueue q, String key) {
        return q.inspect(key, 100_000).head().stream().map(Job::id).toList();
    }

    private static List<Long> longs(JsonArray a) {
        List<Long> out = new ArrayList<>();
        for (JsonElement e : a) {
            out.add(e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber() ? e.getAsLong() : -1L);
        }
        return out;
    }

    private static Map<String, JsonObject> readReport(Path report) throws Exception {
        Map<String, JsonObject> seen = new HashMap<>();
        for (String line : Files.readAllLines(report, StandardCharsets.UTF_8)) {
            JsonObject o = JsonParser.parseString(line).getAsJsonObject();
            seen.put(o.get("test").getAsString(), o);
        }
        return seen;
    }

    private static Path onPath(String command) {
        String path = System.getenv("PATH");
        for (String d : path == null ? new String[0] : path.split(File.pathSeparator)) {
            Path candidate = Path.of(d, command);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** The checkout's root: the first directory up from here that holds clients/python. */
    private static Path repositoryRoot() {
        for (Path d = Path.of(System.getProperty("user.dir")).toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("clients/python/tests"))) {
                return d;
            }
        }
        throw new IllegalStateException("no clients/python/tests above " + System.getProperty("user.dir"));
    }
}
