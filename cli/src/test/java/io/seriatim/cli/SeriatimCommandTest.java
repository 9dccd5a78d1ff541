package io.seriatim.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.seriatim.core.queue.EnqueueRequest;
import io.seriatim.core.queue.KeyState;
import io.seriatim.core.queue.KeyedQueue;
import io.seriatim.core.settings.NamespaceSettings;
import io.seriatim.testkit.RedisExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/** The seriatim command against real Redis processes: output, errors and exit codes. */
class SeriatimCommandTest {
    @RegisterExtension
    static final RedisExtension redis = new RedisExtension();

    record Run(int exit, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Seriatim.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    String[] at(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--redis";
        all[args.length + 1] = redis.server().uri();
        return all;
    }

    KeyedQueue namespace() {
        return KeyedQueue.open(redis.client(), NamespaceSettings.builder("ops").maxAttempts(1).build());
    }

    @Test
    void helpListsEveryCommand() {
        Run r = run("--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("gateway", "worker", "sweeper", "redis", "submit", "verify-produce", "verify-consume",
                "verify-check", "stats", "inspect", "keys", "dlq", "park", "unpark", "pause", "resume", "namespace");
    }

    @Test
    void aBadFlagExitsTwoWithAClearMessage() {
        Run r = run("stats", "--bogus");
        assertThat(r.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains("Unknown option: '--bogus'");
        Run bad = run(at("worker", "--concurrency", "0"));
        assertThat(bad.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(bad.err()).contains("concurrency must be in [1, 100000], got 0");
    }

    @Test
    void aDeadRedisExitsThree() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Run r = run("stats", "-n", "ops", "--redis", "redis://127.0.0.1:" + port, "--redis-timeout", "PT0.5S");
        assertThat(r.exit()).isEqualTo(ExitCode.REDIS_UNAVAILABLE);
        assertThat(r.err()).startsWith("seriatim: Redis at redis://127.0.0.1:" + port + " unavailable");
    }

    @Test
    void anUnknownNamespaceIsAUsageError() {
        Run r = run(at("stats", "-n", "nope"));
        assertThat(r.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains("unknown namespace 'nope'");
    }

    @Test
    void operatorCommandsActOnRealState() {
        KeyedQueue q = namespace();
        q.enqueue(EnqueueRequest.of("k", "a".getBytes(UTF_8), "b".getBytes(UTF_8)));
        assertThat(run(at("stats", "-n", "ops", "--json")).out()).contains("\"pendingJobs\":2", "\"readyKeys\":1");
        assertThat(run(at("inspect", "-n", "ops", "k")).out()).contains("state      READY", "pending    2");
        assertThat(run(at("park", "-n", "ops", "k", "--reason", "checking")).exit()).isZero();
        assertThat(q.inspect("k", 0).state()).isEqualTo(KeyState.PARKED);
        assertThat(run(at("park", "-n", "ops", "none")).exit()).isEqualTo(ExitCode.FAILED);
        assertThat(run(at("unpark", "-n", "ops", "k")).exit()).isZero();
        assertThat(run(at("unpark", "-n", "ops", "k")).exit()).as("not parked any more").isEqualTo(ExitCode.FAILED);
        assertThat(run(at("pause", "-n", "ops")).exit()).isZero();
        assertThat(q.counts().paused()).isTrue();
        assertThat(run(at("resume", "-n", "ops")).exit()).isZero();
        var claim = q.claim(0, "w", 1, Duration.ofMinutes(1), 1).keys().getFirst();
        q.fail(claim.lease(), claim.jobs().getFirst().id(), "boom", false, Duration.ZERO);
        assertThat(run(at("dlq", "list", "-n", "ops")).out()).contains("key=k", "error=boom", "1 dead job(s) shown");
        assertThat(run(at("dlq", "replay", "-n", "ops", "--to-head")).out()).contains("replayed 1 job(s)");
        assertThat(q.inspect("k", 0).pending()).isEqualTo(2);
        assertThat(run(at("dlq", "purge", "-n", "ops")).out()).contains("purged 0 job(s)");
    }

    @Test
    void operatorActsOnARunningKeySayThatTheyWaitForItsJob() {
        KeyedQueue q = namespace();
        q.enqueue(EnqueueRequest.of("busy", "a".getBytes(UTF_8), "b".getBytes(UTF_8)));
        var held = q.claim(0, "w2", 1, Duration.ofMinutes(1), 1).keys().getFirst().lease();
        assertThat(run(at("park", "-n", "ops", "busy")).out()).contains("parked busy; the running job (fence "
                + held.fence() + ", worker w2) finishes first, lease until");
        assertThat(run(at("inspect", "-n", "ops", "busy")).out()).contains("state      LEASED", "parking    when the running job ends");
        assertThat(run(at("pause", "-n", "ops")).out()).contains("1 running key(s) finish their current jobs");
        assertThat(run(at("resume", "-n", "ops")).exit()).isZero();
        assertThat(run(at("unpark", "-n", "ops", "busy")).out()).contains("the park that waited for its running job is withdrawn");
        assertThat(q.inspect("busy", 0).state()).isEqualTo(KeyState.LEASED);
    }

    @Test
    void inspectAndStatsNameAStrandedKey() {
        KeyedQueue q = namespace();
        q.enqueue(EnqueueRequest.of("lost", "a".getBytes(UTF_8)));
        redis.client().zrem(q.keys().partitionOf("lost").ready(), "lost".getBytes(UTF_8)); // damage: the token is gone
        assertThat(run(at("inspect", "-n", "ops", "lost")).out())
                .contains("PROBLEM    STRANDED: 1 pending job(s) but not ready, leased or parked; the sweeper repairs it");
        assertThat(run(at("stats", "-n", "ops")).out()).contains("WARNING          STRANDED: partition 0 has 1 pending job(s)");
    }

    @Test
    void everyOperatorCommandAnswersOneJsonObject() {
        KeyedQueue q = namespace();
        q.enqueue(EnqueueRequest.of("k", "a".getBytes(UTF_8), "b".getBytes(UTF_8)));
        assertThat(json("stats", "-n", "ops").get("pendingJobs").getAsLong()).isEqualTo(2);
        JsonObject inspect = json("inspect", "-n", "ops", "k");
        assertThat(inspect.get("state").getAsString()).isEqualTo("READY");
        assertThat(inspect.getAsJsonArray("head").get(0).getAsJsonObject().get("submittedAt").getAsString()).endsWith("Z");
        assertThat(json("keys", "-n", "ops").getAsJsonArray("keys")).hasSize(1);
        assertThat(json("park", "-n", "ops", "k", "--reason", "checking").get("status").getAsString()).isEqualTo("parked");
        JsonObject stuck = json("keys", "-n", "ops", "--stuck");
        assertThat(stuck.getAsJsonArray("keys").get(0).getAsJsonObject().get("reason").getAsString()).isEqualTo("parked");
        assertThat(json("unpark", "-n", "ops", "k").get("status").getAsString()).isEqualTo("unparked");
        assertThat(json("pause", "-n", "ops").get("paused").getAsBoolean()).isTrue();
        assertThat(json("resume", "-n", "ops").get("resumed").getAsBoolean()).isTrue();
        assertThat(json("dlq", "list", "-n", "ops").getAsJsonArray("jobs")).isEmpty();
        assertThat(json("dlq", "replay", "-n", "ops").get("replayed").getAsLong()).isZero();
        assertThat(json("dlq", "purge", "-n", "ops").get("purged").getAsLong()).isZero();
        assertThat(json("namespace", "show", "-n", "ops").get("maxAttempts").getAsLong()).isEqualTo(1);
        assertThat(json("namespace", "create", "-n", "fresh").get("created").getAsBoolean()).isTrue();
        assertThat(json("namespace", "update", "-n", "fresh", "--max-attempts", "4").get("changes").getAsString())
                .isNotEmpty();
    }

    @Test
    void keysNamesWhyKeysAreStuckAndListsTheDeepest() {
        KeyedQueue q = namespace();
        q.enqueue(EnqueueRequest.of("held", "a".getBytes(UTF_8)));
        q.park("held", "checking");
        q.enqueue(EnqueueRequest.of("busy", "a".getBytes(UTF_8), "b".getBytes(UTF_8), "c".getBytes(UTF_8)));
        var lease = q.claim(0, "w7", 1, Duration.ofMinutes(1), 1).keys().getFirst().lease();
        Run stuck = run(at("keys", "-n", "ops", "--stuck", "--running-longer-than", "0s"));
        assertThat(stuck.exit()).isZero();
        assertThat(stuck.out()).contains("held", "PARKED (checking): waits for `seriatim unpark held`",
                "busy", "RUNNING LONG on worker w7 (fence " + lease.fence() + ") since 20");
        assertThat(run(at("keys", "-n", "ops", "--stuck")).out()).as("within the default 10 minutes").doesNotContain("RUNNING");
        Run top = run(at("keys", "-n", "ops", "--top", "DEPTH"));
        assertThat(top.out().indexOf("busy")).isLessThan(top.out().indexOf("held"));
        assertThat(run(at("keys", "-n", "ops", "--top", "age", "--prefix", "he")).out()).contains("held").doesNotContain("busy");
        assertThat(run(at("keys", "-n", "ops", "--stuck", "--prefix", "he")).exit()).isEqualTo(ExitCode.USAGE);
    }

    @Test
    void inspectSpeaksInWordsAndIsoTimes() {
        KeyedQueue q = namespace();
        q.enqueue(EnqueueRequest.of("busy", "hello".getBytes(UTF_8), "b".getBytes(UTF_8)));
        var lease = q.claim(0, "w2", 1, Duration.ofMinutes(1), 1).keys().getFirst().lease();
        String out = run(at("inspect", "-n", "ops", "busy")).out();
        assertThat(out).contains("LEASED, running on worker w2 (fence " + lease.fence() + ") since 20",
                "0 job(s) done under this lease; lease until 20", "(in ", "pending    2 job(s)",
                "none failed yet (of 1 allowed for the head job)");
        assertThat(out).doesNotContain("|w2");
    }

    private JsonObject json(String... args) {
        String[] withJson = java.util.Arrays.copyOf(args, args.length + 1);
        withJson[args.length] = "--json";
        Run r = run(at(withJson));
        assertThat(r.exit()).as(r.err()).isZero();
        return JsonParser.parseString(r.out()).getAsJsonObject();
    }
}
