package io.seriatim.core.queue;

import java.util.Map;
import java.util.Objects;

/** A job to submit: the payload and optional headers. Seriatim assigns the id and the time. */
public record NewJob(byte[] payload, Map<String, String> headers) {
    public NewJob {
        Objects.requireNonNull(payload, "payload");
        headers = headers == null || headers.isEmpty() ? Map.of() : Map.copyOf(headers);
    }

    public static NewJob of(byte[] payload) {
        return new NewJob(payload, Map.of());
    }
}
