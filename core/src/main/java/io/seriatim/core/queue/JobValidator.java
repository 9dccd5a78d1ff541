package io.seriatim.core.queue;

import io.seriatim.core.settings.NamespaceSettings;
import java.util.Map;

/**
 * Checks submits against a namespace's limits before anything reaches Redis, so a bad submit is
 * refused with a message that says which limit and by how much, and nothing is written.
 */
public final class JobValidator {
    /** Jobs per enqueue call: the script passes them to RPUSH as arguments (Lua stack bound). */
    public static final int MAX_JOBS_PER_CALL = 1000;
    public static final int MAX_DEDUP_ID_CHARS = 256;
    /**
     * A stored job is one Redis value: at most proto-max-bulk-len (512 MiB by default). Past it,
     * Redis would refuse the job on every resend; refused here, the caller hears why at once.
     */
    static final long MAX_STORED_BYTES = 512L * 1024 * 1024;
    private static final int STORED_OVERHEAD_BYTES = 32; // id, time and the payload's tag and length
    private static final int HEADER_OVERHEAD_BYTES = 16; // a map entry's tags and lengths

    private final NamespaceSettings settings;
    private final long maxStoredBytes;

    public JobValidator(NamespaceSettings settings) {
        this(settings, MAX_STORED_BYTES);
    }

    /** With another value limit: tests check the rule without allocating 512 MiB. */
    JobValidator(NamespaceSettings settings, long maxStoredBytes) {
        this.settings = settings;
        this.maxStoredBytes = maxStoredBytes;
    }

    public void check(EnqueueRequest request) {
        checkKey(request.key());
        int n = request.jobs().size();
        if (n == 0 || n > MAX_JOBS_PER_CALL) {
            throw new InvalidJobException("a request carries 1 to " + MAX_JOBS_PER_CALL + " jobs, got " + n);
        }
        for (NewJob job : request.jobs()) {
            checkJob(job);
        }
        if (request.dedupId() != null) {
            checkDedupId(request.dedupId());
        }
    }

    public void checkDedupId(String dedup) {
        if (dedup.isEmpty() || dedup.length() > MAX_DEDUP_ID_CHARS || hasControl(dedup)) {
            throw new InvalidJobException("dedup id must be 1-" + MAX_DEDUP_ID_CHARS
                    + " characters without control characters");
        }
    }

    public void checkKey(String key) {
        if (key == null || key.isEmpty()) {
            throw new InvalidJobException("key must not be empty");
        }
        if (hasControl(key)) {
            throw new InvalidJobException("key must not contain control characters");
        }
        int bytes = utf8Length(key);
        if (bytes > settings.maxKeyBytes()) {
            throw new InvalidJobException("key is " + bytes + " bytes, over the limit of "
                    + settings.maxKeyBytes() + " (namespace " + settings.name() + ")");
        }
    }

    /** A job's payload and headers against the limits; the key and dedup id are checked apart. */
    public void checkJob(NewJob job) {
        if (job.payload().length > settings.maxPayloadBytes()) {
            throw new InvalidJobException("payload is " + job.payload().length + " bytes, over the limit of "
                    + settings.maxPayloadBytes() + " (namespace " + settings.name() + ")");
        }
        Map<String, String> headers = job.headers();
        if (headers.size() > settings.maxHeaders()) {
            throw new InvalidJobException(headers.size() + " headers, over the limit of " + settings.maxHeaders());
        }
        long headerBytes = 0;
        for (var h : headers.entrySet()) {
            if (h.getKey().isEmpty()) {
                throw new InvalidJobException("header names must not be empty");
            }
            headerBytes += utf8Length(h.getKey()) + utf8Length(h.getValue());
        }
        // Headers are stored beside the payload: unbounded, they were a way around its limit
        // (a 15 MiB header on a 1 MiB namespace was taken). They get the payload's limit, apart.
        if (headerBytes > settings.maxPayloadBytes()) {
            throw new InvalidJobException("headers are " + headerBytes + " bytes (names and values), over the limit of "
                    + settings.maxPayloadBytes() + " (the namespace's payload limit, namespace " + settings.name() + ")");
        }
        long stored = (long) job.payload().length + STORED_OVERHEAD_BYTES + headerBytes
                + (long) headers.size() * HEADER_OVERHEAD_BYTES;
        if (stored > maxStoredBytes) {
            throw new InvalidJobException("job is " + stored + " bytes with its headers, over Redis' limit of "
                    + maxStoredBytes + " bytes for one value");
        }
    }

    private static boolean hasControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c) || (Character.isSurrogate(c) && !validSurrogate(s, i))) {
                return true;
            }
        }
        return false;
    }

    // An unpaired surrogate would not survive the trip through UTF-8 and back.
    private static boolean validSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }

    // Counted, not encoded: every submitted job's key passes here.
    private static int utf8Length(String s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
