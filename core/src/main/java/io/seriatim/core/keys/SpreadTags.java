package io.seriatim.core.keys;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * The hash tags of {@link KeyLayout#SPREAD}: partition {@code p} of {@code P} gets the tag
 * {@code ns:p:s}, where {@code s} is the first suffix (base 36: 0, 1, ..., z, 10, ...) whose
 * slot lies in the middle half of the {@code p}-th of {@code P} equal slot ranges. The middle
 * half, not the whole range, so that masters whose ranges end a slot or two off the equal split
 * (redis-cli rounds: 0-5460, 5461-10922, 10923-16383) still get their share.
 *
 * <p>Deterministic and fixed for good: every process derives the same tags from the name and the
 * partition count, and a namespace's data lives under them. Never change the search (the tags of
 * existing namespaces would change with it); a new rule needs a new {@link KeyLayout}.
 *
 * <p>About {@code 2P} candidates per partition, each costing only its suffix' CRC: for 1,024
 * partitions about two million, a few milliseconds.
 */
final class SpreadTags {
    /** 36^5 candidates: far more than any partition needs (a failure would be a bug in the search). */
    private static final long MAX_TRIES = 60_466_176L;

    private SpreadTags() {}

    static String tag(String namespace, int partition, int partitions) {
        if (partition < 0 || partition >= partitions || partitions > Crc16.SLOTS) {
            throw new IllegalArgumentException("partition " + partition + " of " + partitions);
        }
        int from = (int) ((long) partition * Crc16.SLOTS / partitions);
        int to = (int) ((long) (partition + 1) * Crc16.SLOTS / partitions);
        int quarter = (to - from) / 4;
        int low = from + quarter;
        int high = to - quarter; // exclusive; at least one slot, since to - from >= 1
        String start = namespace + ":" + partition + ":";
        int startCrc = Crc16.update(0, start.getBytes(UTF_8));
        byte[] suffix = {'0'};
        for (long i = 0; i < MAX_TRIES; i++, suffix = next(suffix)) {
            int slot = Crc16.slot(Crc16.update(startCrc, suffix));
            if (slot >= low && slot < high) {
                return start + new String(suffix, US_ASCII);
            }
        }
        throw new IllegalStateException("no suffix puts partition " + partition + " of " + partitions
                + " of namespace '" + namespace + "' in slots [" + low + ", " + high + ")");
    }

    /**
     * The base-36 number after {@code digits} (most significant first, as {@link Long#toString(long, int)}
     * writes it): counting in place, so that a candidate costs no allocation.
     */
    private static byte[] next(byte[] digits) {
        for (int i = digits.length - 1; i >= 0; i--) {
            if (digits[i] == '9') {
                digits[i] = 'a';
                return digits;
            }
            if (digits[i] != 'z') {
                digits[i]++;
                return digits;
            }
            digits[i] = '0';
        }
        byte[] longer = new byte[digits.length + 1];
        longer[0] = '1';
        System.arraycopy(digits, 0, longer, 1, digits.length);
        return longer;
    }
}
