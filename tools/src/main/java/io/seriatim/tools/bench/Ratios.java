package io.seriatim.tools.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Seriatim's figures divided by another system's from the same run of the bench: the comparisons
 * docs/perf.md quotes, instead of figures measured elsewhere at another time. Read from the table's
 * rows, so they work the same whether a row came from this JVM, a child JVM or a run.sh.
 */
final class Ratios {
    private Ratios() {}

    /** A Seriatim row, another system's row in the same shape, and the figures to compare. */
    private record Pair(String seriatim, String other, List<String> figures) {}

    /**
     * Only rows of the same shape. Not paired: the lab's sleep-1ms (10,000 keys × 30, 4,096 at
     * once) with kafka+pc sleep-1ms (1,000 × 200, 256 at once); Kafka's dense, sparse and paced
     * 50k/s, which have no lab row: they are for the deployment bench's rows.
     */
    private static final List<Pair> PAIRS = List.of(
            new Pair("drain", "bullmq drain", List.of("jobs/s")),
            new Pair("submit", "bullmq submit", List.of("jobs/s")),
            new Pair("mixed", "bullmq mixed", List.of("jobs/s")),
            // The lab's rows are warm (after --warmups runs); so are Kafka's plain figures.
            new Pair("drain", "kafka+pc drain", List.of("jobs/s")),
            new Pair("drain", "kafka consumer drain", List.of("jobs/s")),
            new Pair("latency@10000/s", "kafka+pc paced@10000/s", List.of("p50 ms", "p99 ms", "p99.9 ms")),
            new Pair("mixed", "kafka+pc mixed", List.of("jobs/s")));

    /** Markdown rows "| Seriatim row ÷ other row | figure | ratio |" for the pairs whose both rows ran correctly. */
    static List<String> of(List<String> tableRows) {
        Map<String, Map<String, Double>> correct = new LinkedHashMap<>();
        for (String row : tableRows) {
            // "| name | figure v, figure v | runs | yes | note |"
            String[] cells = row.substring(1).split(" \\| ");
            if (cells.length >= 4 && cells[3].strip().equals("yes")) {
                correct.put(cells[0].strip(), figures(cells[1]));
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
        for (String part : cell.strip().split(", ")) {
            int space = part.lastIndexOf(' ');
            if (space > 0) {
                figures.put(part.substring(0, space), Double.parseDouble(part.substring(space + 1).replace(",", "")));
            }
        }
        return figures;
    }
}
