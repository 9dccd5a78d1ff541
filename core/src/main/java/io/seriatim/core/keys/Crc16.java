package io.seriatim.core.keys;

/**
 * Redis Cluster's key hash: CRC16-XMODEM (polynomial 0x1021, initial value 0), of which the
 * low 14 bits are the slot. Its own copy rather than Jedis' so that {@link SpreadTags} can hash a
 * fixed start once and then only each candidate suffix.
 */
final class Crc16 {
    /** Redis Cluster's slot count. */
    static final int SLOTS = 16_384;

    private static final int[] TABLE = new int[256];

    static {
        for (int b = 0; b < 256; b++) {
            int crc = b << 8;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
            TABLE[b] = crc & 0xFFFF;
        }
    }

    private Crc16() {}

    /** The CRC of {@code crc}'s message followed by {@code bytes}; start from 0 for a new message. */
    static int update(int crc, byte[] bytes) {
        for (byte b : bytes) {
            crc = ((crc << 8) ^ TABLE[((crc >>> 8) ^ b) & 0xFF]) & 0xFFFF;
        }
        return crc;
    }

    static int slot(int crc) {
        return crc & (SLOTS - 1);
    }
}
