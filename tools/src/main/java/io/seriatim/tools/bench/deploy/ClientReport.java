package io.seriatim.tools.bench.deploy;

import java.util.HashMap;
import java.util.Map;

/**
 * What the bench client did in one run, sent back as one line of its log ({@link #toLine()}).
 * Times are {@code System.nanoTime()} of the client process, the bench's clock too (one host).
 *
 * @param submitted     jobs submitted
 * @param failed        submits whose future failed, or never completed within the client's wait
 * @param firstNanos    the first submit call
 * @param lastNanos     the last submit call
 * @param answeredNanos when the gateway's last answer arrived (every job in Redis)
 * @param maxLagNanos   a paced run: how far the client fell behind its schedule at worst; its
 *                      latencies are from the submit call, so a client behind schedule hides waiting
 */
record ClientReport(long submitted, long failed, long firstNanos, long lastNanos, long answeredNanos, long maxLagNanos) {
    static final String PREFIX = "bench-client done ";

    String toLine() {
        return PREFIX + "submitted=" + submitted + " failed=" + failed + " first=" + firstNanos + " last=" + lastNanos
                + " answered=" + answeredNanos + " lag=" + maxLagNanos;
    }

    static ClientReport parse(String line) {
        if (!line.startsWith(PREFIX)) {
            throw new IllegalArgumentException("expected '" + PREFIX + "...', got '" + line + "'");
        }
        Map<String, Long> v = new HashMap<>();
        for (String part : line.substring(PREFIX.length()).trim().split("\\s+")) {
            int eq = part.indexOf('=');
            v.put(part.substring(0, eq), Long.parseLong(part.substring(eq + 1)));
        }
        return new ClientReport(v.get("submitted"), v.get("failed"), v.get("first"), v.get("last"), v.get("answered"),
                v.get("lag"));
    }
}
