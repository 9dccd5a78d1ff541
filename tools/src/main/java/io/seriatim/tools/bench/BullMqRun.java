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
 * One run of the BullMQ side of the benchmark: {@code benchmarks/bullmq/run.sh}, which starts its
 * own Redis and prints one JSON line. BullMQ keeps order per key only with a queue per key and a
 * worker of concurrency 1 per queue, which is what it runs.
 */
final class BullMqRun {
    private BullMqRun() {}

    /** benchmarks/bullmq of the checkout the jar was built in, else of the current directory. */
    static Path locate() {
        try {
            Path jar = Path.of(BullMqRun.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path p = jar; p != null; p = p.getParent()) {
                if (Files.isExecutable(p.resolve("benchmarks/bullmq/run.sh"))) {
                    return p.resolve("benchmarks/bullmq");
                }
            }
        } catch (Exception ignored) {
            // not from a file: use the current directory
        }
        return Path.of("benchmarks/bullmq");
    }

    static Result run(Path dir, String scenario, String... args) throws Exception {
        String name = "bullmq " + scenario;
        Path script = dir.resolve("run.sh");
        if (!Files.isExecutable(script)) {
            return new Result(name, Map.of(), false, "no " + script + " (use --bullmq-dir)");
        }
        List<String> cmd = new ArrayList<>(List.of(script.toString(), scenario));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        int exit = p.waitFor();
        String last = out.isEmpty() ? "" : out.substring(out.lastIndexOf('\n') + 1);
        if (!last.startsWith("{")) {
            return new Result(name, Map.of(), false, "run.sh exited " + exit + " without a result (is node installed?)");
        }
        JsonObject o = JsonParser.parseString(last).getAsJsonObject();
        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put("jobs/s", o.get("jobsPerSec").getAsDouble());
        if (o.has("p50ms")) {
            figures.put("p50 ms", o.get("p50ms").getAsDouble());
            figures.put("p99 ms", o.get("p99ms").getAsDouble());
        }
        return new Result(name, figures, o.get("ok").getAsBoolean() && exit == 0, o.get("runs") + "/" + o.get("expected")
                + " runs, " + o.get("violations") + " order violations, " + o.get("lost") + " lost (" + o.get("system").getAsString() + ")");
    }
}
