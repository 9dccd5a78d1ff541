package io.seriatim.tools.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Seriatim's figures divided by another system's from the same run of the bench: the comparisons
 * docs/perf.md quotes, instead of figures measured elsewhere at another time. Read from the tables'
 * rows (the deployment table's and the lab-style one's), so rows from child JVMs and run.sh count
 * alike; a row that was not correct gives no ratio.
 */
final class Ratios {
    private Ratios() {}

    /** A Seriatim row, another system's row of the same shape, and the figures to compare. */
    private record Pair(String seriatim, String other, List<String> figures) {}

    private static final List<String> LATENCY = List.of("p50 ms", "p99 ms", "head p99 ms");
    private static final List<Pair> PAIRS = new ArrayList<>();

    static {
        // The deployment rows against Kafka's in the same shapes, fresh with fresh and warm with warm.
        both("dense: submit and drain at once", "kafka+pc dense", List.of("jobs/s"));
        both("dense, preloaded: drain", "kafka+pc drain", List.of("jobs/s"));
        both("dense, preloaded: drain", "kafka consumer drain", List.of("jobs/s"));
        both("sparse: submit and drain at once", "kafka+pc sparse", List.of("jobs/s"));
        both("paced 10k/s", "kafka+pc paced@10000/s", LATENCY);
        both("paced 50k/s", "kafka+pc paced@50000/s", LATENCY);
        both("handler sleeping 1 ms, preloaded: drain", "kafka+pc sleep-1ms", List.of("jobs/s"));
        both("mixed: submit flat out for a time while the workers drain", "kafka+pc mixed", List.of("jobs/s"));
        // Issue 14's target: fresh processes, submit and drain at once, ≥ 1.6× parallel-consumer's drain.
        PAIRS.add(new Pair("dense: submit and drain at once (fresh)", "kafka+pc drain (warm)", List.of("jobs/s")));
        // The lab's rows (warm: after --warmups runs). Not paired: the lab's sleep-1ms (10,000 keys
        // × 30, 4,096 at once) is not parallel-consumer's shape.
        PAIRS.add(new Pair("drain", "bullmq drain", List.of("jobs/s")));
        PAIRS.add(new Pair("submit", "bullmq submit", List.of("jobs/s")));
        PAIRS.add(new Pair("mixed", "bullmq mixed", List.of("jobs/s")));
        PAIRS.add(new Pair("drain", "kafka+pc drain (warm)", List.of("jobs/s")));
        PAIRS.add(new Pair("latency@10000/s", "kafka+pc paced@10000/s (warm)", List.of("p50 ms", "p99 ms")));
    }

    private static void both(String deployTitle, String other, List<String> figures) {
        for (String phase : List.of(" (fresh)", " (warm)")) {
            PAIRS.add(new Pair(deployTitle + phase, other + phase, figures));
        }
    }

    /** Markdown rows "| Seriatim row ÷ other row | figure | ratio |" for the pairs whose both rows ran correctly. */
    static List<String> of(List<String> tableRows) {
        Map<String, Map<String, Double>> correct = new LinkedHashMap<>();
        for (String row : tableRows) {
            // "| a | b | ... |": no cell holds a "|".
            String[] split = row.strip().split("\\|", -1);
            String[] cells = new String[Math.max(0, split.length - 2)];
            for (int i = 0; i < cells.length; i++) {
                cells[i] = split[i + 1].strip();
            }
            if (cells.length >= 9 && cells[6].startsWith("yes")) {
                // The deployment table: | title | phase | **jobs/s** | latencies | CPU | Redis | yes: ... | runs | parameters |
                correct.put(cells[0] + " (" + cells[1] + ")", deployFigures(cells[2], cells[3]));
            } else if (cells.length >= 4 && cells.length < 9 && cells[3].equals("yes")) {
                // The lab-style table: | name | figure v, figure v | runs | yes | note |
                Map<String, Double> figures = figures(cells[1]);
                correct.put(cells[0], figures);
                // Kafka's rows hold a fresh pass ("fresh jobs/s", ...) and a warm one (the plain names).
                Map<String, Double> fresh = new LinkedHashMap<>();
                Map<String, Double> warm = new LinkedHashMap<>();
                figures.forEach((name, v) -> {
                    if (name.startsWith("fresh ")) {
                        fresh.put(name.substring(6), v);
                    } else {
                        warm.put(name, v);
                    }
                });
                if (!fresh.isEmpty()) {
                    correct.put(cells[0] + " (fresh)", fresh);
                    correct.put(cells[0] + " (warm)", warm);
                }
            }
        }
        List<String> out = new ArrayList<>();
        for (Pair p : PAIRS) {
            Map<String, Double> s = correct.get(p.seriatim());
            Map<String, Double> o = correct.get(p.other());
            if (s == null || o == null) {
                continue;
            }
            for (String f : p.figures()) {
                if (s.containsKey(f) && o.containsKey(f) && o.get(f) > 0) {
                    String better = f.endsWith(" ms") ? " (lower is better)" : "";
                    out.add(String.format("| %s ÷ %s | %s%s | %.2f× |", p.seriatim(), p.other(), f, better, s.get(f) / o.get(f)));
                }
            }
        }
        return out;
    }

    /** "jobs/s 385,287, p50 ms 1.170": the thousands' commas have no space after them. */
    private static Map<String, Double> figures(String cell) {
        Map<String, Double> figures = new LinkedHashMap<>();
        for (String part : cell.split(", ")) {
            int space = part.lastIndexOf(' ');
            if (space > 0) {
                figures.put(part.substring(0, space), number(part.substring(space + 1)));
            }
        }
        return figures;
    }

    private static final Pattern PERCENTILES = Pattern.compile("p50 ([\\d,.]+) / p99 ([\\d,.]+) / p99\\.9 ([\\d,.]+) ms");

    /**
     * "**123,456**" and "p50 1.20 / p99 4.5 / p99.9 12.0 ms", or for paced rows "first 5 s: p50 … ms;
     * after: p50 … ms; client lag …": the first are the head's, those after it the rest's.
     */
    private static Map<String, Double> deployFigures(String jobs, String latency) {
        Map<String, Double> figures = new LinkedHashMap<>();
        if (!jobs.isEmpty()) {
            figures.put("jobs/s", number(jobs.replace("*", "")));
        }
        List<double[]> found = new ArrayList<>();
        Matcher m = PERCENTILES.matcher(latency);
        while (m.find()) {
            found.add(new double[] {number(m.group(1)), number(m.group(2)), number(m.group(3))});
        }
        boolean headApart = latency.contains("after:") && found.size() >= 2;
        if (!found.isEmpty()) {
            double[] rest = found.get(headApart ? 1 : 0);
            figures.put("p50 ms", rest[0]);
            figures.put("p99 ms", rest[1]);
            figures.put("p99.9 ms", rest[2]);
        }
        if (headApart) {
            figures.put("head p99 ms", found.getFirst()[1]);
        }
        return figures;
    }

    private static double number(String s) {
        return Double.parseDouble(s.replace(",", ""));
    }
}
