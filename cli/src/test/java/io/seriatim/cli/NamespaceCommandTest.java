package io.seriatim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.seriatim.core.keys.NamespaceKeys;
import io.seriatim.core.settings.FailurePolicy;
import io.seriatim.core.settings.NamespaceRegistry;
import io.seriatim.core.settings.NamespaceSettings;
import io.seriatim.testkit.RedisExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/**
 * {@code seriatim namespace create|show|update} against a real Redis, and the processes refusing
 * flags that contradict the stored settings: exit 2 and one line, no stack trace.
 */
class NamespaceCommandTest {
    @RegisterExtension
    static final RedisExtension redis = new RedisExtension();

    record Run(int exit, String out, String err) {}

    Run run(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--redis";
        all[args.length + 1] = redis.server().uri();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Seriatim.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return new Run(cli.execute(all), out.toString(), err.toString());
    }

    static void refusedInOneLine(Run r, String message) {
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err().strip()).as("one line, no stack trace").doesNotContain("\n").isEqualTo("seriatim: " + message);
    }

    NamespaceSettings stored(String name) {
        return new NamespaceRegistry(redis.client()).read(name).orElseThrow().settings();
    }

    @Test
    void createStoresTheGivenSettingsAndDefaultsForTheRest() {
        Run r = run("namespace", "create", "-n", "orders", "--partitions", "2", "--max-payload-bytes", "4096",
                "--failure-policy", "PARK", "--dedup-window", "PT1M");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("created namespace orders\n");
        assertThat(stored("orders")).isEqualTo(NamespaceSettings.builder("orders").partitions(2).maxPayloadBytes(4096)
                .failurePolicy(FailurePolicy.PARK).dedupWindow(Duration.ofMinutes(1)).build());
    }

    @Test
    void createAgainIsFineWithTheSameSettingsAndRefusedWithOthers() {
        run("namespace", "create", "-n", "orders", "--max-attempts", "3");
        Run same = run("namespace", "create", "-n", "orders", "--max-attempts", "3");
        assertThat(same.exit()).isZero();
        assertThat(same.out()).isEqualTo("namespace already exists with these settings: orders\n");
        refusedInOneLine(run("namespace", "create", "-n", "orders"), "namespace 'orders': maxAttempts is 3 in Redis, "
                + "this process was given 5 (stored settings change only through 'seriatim namespace update'; "
                + "leave these out to use them)");
    }

    @Test
    void showPrintsTheStoredSettingsAsTextOrJson() {
        run("namespace", "create", "-n", "orders", "--max-headers", "3");
        Run text = run("namespace", "show", "-n", "orders");
        assertThat(text.exit()).isZero();
        assertThat(text.out()).contains("namespace        orders\n", "partitions       1\n", "maxHeaders       3\n",
                "failurePolicy    SKIP\n", "dedupWindowMs    600000\n", "createdAtMs      ");
        Run json = run("namespace", "show", "-n", "orders", "--json");
        JsonObject o = JsonParser.parseString(json.out()).getAsJsonObject();
        assertThat(o.get("namespace").getAsString()).isEqualTo("orders");
        assertThat(o.get("maxHeaders").getAsInt()).isEqualTo(3);
        assertThat(o.get("failurePolicy").getAsString()).isEqualTo("SKIP");
        assertThat(o.get("fairnessTimeMs").getAsLong()).isEqualTo(1000);
        assertThat(o.get("createdAtMs").getAsLong()).isPositive();
        assertThat(o.get("recorded").getAsBoolean()).isTrue();
    }

    @Test
    void showOfAnUnknownNamespaceIsAUsageError() {
        refusedInOneLine(run("namespace", "show", "-n", "nope"), "unknown namespace 'nope'");
    }

    @Test
    void showOfANamespaceAnEarlierVersionRegisteredSaysItsSettingsAreNotStoredYet() {
        redis.client().hset(NamespaceKeys.REGISTRY, "old", "4");
        Run r = run("namespace", "show", "-n", "old", "--json");
        JsonObject o = JsonParser.parseString(r.out()).getAsJsonObject();
        assertThat(o.get("partitions").getAsInt()).isEqualTo(4);
        assertThat(o.get("recorded").getAsBoolean()).isFalse();
    }

    @Test
    void updateChangesTheGivenSettingsAndSaysWhat() {
        run("namespace", "create", "-n", "orders", "--max-payload-bytes", "4096");
        Run r = run("namespace", "update", "-n", "orders", "--max-attempts", "9", "--dedup-window", "PT30S");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("updated namespace orders: maxAttempts 5 -> 9, dedupWindow PT10M -> PT30S "
                + "(running processes apply it within 10 s)\n");
        assertThat(stored("orders")).isEqualTo(NamespaceSettings.builder("orders").maxPayloadBytes(4096).maxAttempts(9)
                .dedupWindow(Duration.ofSeconds(30)).build());
    }

    @Test
    void updateRefusesThePartitionCountNothingAndUnknownNamespacesAndBadValues() {
        run("namespace", "create", "-n", "orders");
        refusedInOneLine(run("namespace", "update", "-n", "orders", "--partitions", "4"),
                "namespace 'orders': partitions is 1 in Redis, this process was given 4 "
                        + "(the partition count of a namespace never changes)");
        refusedInOneLine(run("namespace", "update", "-n", "orders"),
                "namespace 'orders': nothing to update, give at least one setting");
        refusedInOneLine(run("namespace", "update", "-n", "nope", "--max-attempts", "2"), "unknown namespace 'nope'");
        refusedInOneLine(run("namespace", "update", "-n", "orders", "--max-attempts", "0"),
                "maxAttempts must be in [1, 1000000], got 0");
        assertThat(stored("orders")).isEqualTo(NamespaceSettings.builder("orders").build());
    }

    @Test
    void aWorkerGivenAContradictingFlagIsRefused() {
        run("namespace", "create", "-n", "orders", "--max-attempts", "5");
        refusedInOneLine(run("worker", "-n", "orders", "--max-attempts", "3"), "namespace 'orders': maxAttempts is 5 in "
                + "Redis, this process was given 3 (stored settings change only through 'seriatim namespace update'; "
                + "leave these out to use them)");
    }

    @Test
    void aGatewayGivenAContradictingFlagIsRefused() {
        run("namespace", "create", "-n", "orders", "--max-payload-bytes", "4096");
        refusedInOneLine(run("gateway", "--host", "127.0.0.1", "--port", "0", "-n", "orders", "--max-payload-bytes",
                "1024"), "namespace 'orders': maxPayloadBytes is 4096 in Redis, this process was given 1024 (stored "
                + "settings change only through 'seriatim namespace update'; leave these out to use them)");
        refusedInOneLine(run("gateway", "--host", "127.0.0.1", "--port", "0", "--max-payload-bytes", "1024"),
                "namespace settings flags need --namespace: the namespaces they are for");
    }

    @Test
    void aSweeperGivenAContradictingFlagIsRefused() {
        run("namespace", "create", "-n", "orders", "--failure-policy", "PARK");
        refusedInOneLine(run("sweeper", "-n", "orders", "--failure-policy", "SKIP"), "namespace 'orders': failurePolicy "
                + "is PARK in Redis, this process was given SKIP (stored settings change only through "
                + "'seriatim namespace update'; leave these out to use them)");
    }
}
