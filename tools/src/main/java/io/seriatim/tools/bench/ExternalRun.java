package io.seriatim.tools.bench;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.seriatim.tools.bench.Scenarios.Result;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One run of another system's side of the benchmark: {@code benchmarks/<system>/run.sh SCENARIO
 * ARGS...}, which starts its own server, runs the scenario, checks its own answer and prints one
 * JSON line ({@code jobsPerSec}, latencies where they apply, {@code runs}, {@code expected},
 * {@code violations}, {@code lost}, {@code ok}, {@code system}). Shared by {@link BullMqRun} and
 * {@link KafkaRun}.
 */
final class ExternalRun {
    private ExternalRun() {}

    /** The JSON fields that become figures, and their names in the table. */
    private static final Map<String, String> FIGURES = new LinkedHashMap<>();

    static {
        FIGURES.put("jobsPerSec", "jobs/s");
        FIGURES.put("p50ms", "p50 ms");
        FIGURES.put("p99ms", "p99 ms");
        FIGURES.put("p999ms", "p99.9 ms");
        FIGURES.put("headP99ms", "head p99 ms");
        // Kafka's run measures a fresh pass (new processes) and a warm one; the plain names are the warm pass.
        FIGURES.put("freshJobsPerSec", "fresh jobs/s");
        FIGURES.put("freshP50ms", "fresh p50 ms");
        FIGURES.put("freshP99ms", "fresh p99 ms");
        FIGURES.put("freshHeadP99ms", "fresh head p99 ms");
    }

    /** benchmarks/{@code system} of the checkout the jar was built in, else of the current directory. */
    static Path locate(String system) {
        String sub = "benchmarks/" + system;
        try {
            Path jar = Path.of(ExternalRun.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path p = jar; p != null; p = p.getParent()) {
                if (Files.isExecutable(p.resolve(sub).resolve("run.sh"))) {
                    return p.resolve(sub);
                }
            }
        } catch (Exception ignored) {
            // not from a file: use the current directory
        }
        return Path.of(sub);
    }

    /**
     * Runs {@code dir/run.sh scenario args...} as the table row {@code row}. Its stderr (progress,
     * and a first run's build) is kept in a temp file and only its last line shown, when the run
     * gives no result.
     *
     * @param dirOption the bench's option that says where {@code dir} is, for the error message
     */
    static Result run(String row, Path dir, String dirOption, String scenario, String... args) throws Exception {
        Path script = dir.resolve("run.sh");
        if (!Files.isExecutable(script)) {
            return new Result(row, Map.of(), false, "no " + script + " (use " + dirOption + ")");
        }
        List<String> cmd = new ArrayList<>(List.of(script.toString(), scenario));
        cmd.addAll(List.of(args));
        Path err = Files.createTempFile("seriatim-bench-external-", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            int exit = p.waitFor();
            String last = out.isEmpty() ? "" : out.substring(out.lastIndexOf('\n') + 1);
            if (!last.startsWith("{")) {
                List<String> errLines = Files.readAllLines(err).stream().filter(l -> !l.isBlank()).toList();
                return new Result(row, Map.of(), false, "run.sh exited " + exit + " without a result"
                        + (errLines.isEmpty() ? "" : ": " + errLines.getLast().strip()));
            }
            JsonObject o = JsonParser.parseString(last).getAsJsonObject();
            if (o.has("error")) {
                return new Result(row, Map.of(), false, "error: " + o.get("error").getAsString());
            }
            Map<String, Double> figures = new LinkedHashMap<>();
            FIGURES.forEach((field, figure) -> {
                if (o.has(field)) {
                    figures.put(figure, o.get(field).getAsDouble());
                }
            });
            return new Result(row, figures, o.get("ok").getAsBoolean() && exit == 0, o.get("runs") + "/" + o.get("expected")
                    + " runs, " + o.get("violations") + " order violations, " + o.get("lost") + " lost ("
                    + o.get("system").getAsString() + ")");
        } finally {
            Files.deleteIfExists(err);
        }
    }
}
