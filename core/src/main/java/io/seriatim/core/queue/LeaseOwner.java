package io.seriatim.core.queue;

import java.util.Optional;

/**
 * A lease's owner entry as claim.lua writes it in the partition's {@code owners} hash:
 * {@code fence|grantedAtMs|jobsRun|workerId}. The one place that reads that format.
 *
 * @param grantedAtMs when the lease was granted (Redis clock): the holder started the key's first job then
 * @param jobsRun     jobs acknowledged under this lease so far
 */
public record LeaseOwner(long fence, long grantedAtMs, long jobsRun, String workerId) {

    /** The entry read back, or empty when it is not in that format (damage from outside the scripts). */
    public static Optional<LeaseOwner> parse(String entry) {
        if (entry == null) {
            return Optional.empty();
        }
        String[] f = entry.split("\\|", 4);
        if (f.length < 4) {
            return Optional.empty();
        }
        try {
            return Optional.of(new LeaseOwner(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]), f[3]));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
