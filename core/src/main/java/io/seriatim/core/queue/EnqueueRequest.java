package io.seriatim.core.queue;

import java.util.List;
import java.util.Objects;

/**
 * Jobs for one ordering key, appended in list order, with an optional dedup id: while the id is
 * remembered (the namespace's dedup window) the same request enqueues nothing a second time.
 */
public record EnqueueRequest(String key, List<NewJob> jobs, String dedupId) {
    public EnqueueRequest {
        Objects.requireNonNull(key, "key");
        jobs = List.copyOf(Objects.requireNonNull(jobs, "jobs"));
    }

    public static EnqueueRequest of(String key, byte[]... payloads) {
        return new EnqueueRequest(key, java.util.Arrays.stream(payloads).map(NewJob::of).toList(), null);
    }
}
