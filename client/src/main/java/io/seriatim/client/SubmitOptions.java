package io.seriatim.client;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Optional parts of a submit.
 *
 * @param headers strings the handler receives with the job
 * @param delay   run no earlier than this long from now (null = at once)
 * @param runAt   run no earlier than this instant, Redis clock (null = at once); not with delay
 * @param dedupId your own idempotency key, scoped to the job's key: while the gateway's Redis
 *                remembers it (the namespace's dedup window), the same id submits once. Without
 *                one, the producer still makes its own retries idempotent.
 */
public record SubmitOptions(Map<String, String> headers, Duration delay, Instant runAt, String dedupId) {
    public static final SubmitOptions NONE = new SubmitOptions(Map.of(), null, null, null);

    public SubmitOptions {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        if (delay != null && runAt != null) {
            throw new IllegalArgumentException("give a delay or a run-at time, not both");
        }
        if (delay != null && delay.isNegative()) {
            throw new IllegalArgumentException("delay must be >= 0, got " + delay);
        }
    }

    public SubmitOptions withHeaders(Map<String, String> h) { return new SubmitOptions(h, delay, runAt, dedupId); }
    public SubmitOptions withDelay(Duration d) { return new SubmitOptions(headers, d, null, dedupId); }
    public SubmitOptions withRunAt(Instant t) { return new SubmitOptions(headers, null, t, dedupId); }
    public SubmitOptions withDedupId(String id) { return new SubmitOptions(headers, delay, runAt, id); }
}
