package io.seriatim.core.queue;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.resps.Tuple;

/**
 * Every key of the Redis database with its type and full content (and whether it has a TTL, not
 * the TTL itself, which ticks). Two dumps are equal exactly when nothing was written in between
 * that a reader could see: what "changes nothing" and "writes nothing" assert. Bytes are kept
 * as ISO-8859-1 strings, which map each byte to one char, so nothing is lost.
 *
 * <p>Tests only: SCAN plus one read per key, not atomic.
 */
record RedisDump(Map<String, String> entries) {

    static RedisDump of(UnifiedJedis redis) {
        Map<String, String> entries = new TreeMap<>();
        byte[] cursor = ScanParams.SCAN_POINTER_START_BINARY;
        do {
            ScanResult<byte[]> page = redis.scan(cursor, new ScanParams().count(1000));
            for (byte[] key : page.getResult()) {
                entries.put(text(key), describe(redis, key));
            }
            cursor = page.getCursorAsBytes();
        } while (!text(cursor).equals(ScanParams.SCAN_POINTER_START));
        return new RedisDump(entries);
    }

    int size() {
        return entries.size();
    }

    private static String describe(UnifiedJedis redis, byte[] key) {
        String type = redis.type(key);
        String content = switch (type) {
            case "string" -> text(redis.get(key));
            case "list" -> redis.lrange(key, 0, -1).stream().map(RedisDump::text).toList().toString();
            case "hash" -> {
                Map<String, String> h = new TreeMap<>();
                redis.hgetAll(key).forEach((k, v) -> h.put(text(k), text(v)));
                yield h.toString();
            }
            case "zset" -> {
                List<String> z = new ArrayList<>();
                for (Tuple t : redis.zrangeWithScores(key, 0, -1)) {
                    z.add(text(t.getBinaryElement()) + "=" + t.getScore());
                }
                yield z.toString();
            }
            case "set" -> redis.smembers(key).stream().map(RedisDump::text).sorted().toList().toString();
            case "stream" -> streamEntries(redis.xrange(key, "-".getBytes(ISO_8859_1), "+".getBytes(ISO_8859_1)));
            default -> "(" + type + ")";
        };
        return type + (redis.pttl(key) >= 0 ? " with TTL " : " ") + content;
    }

    /** Binary XRANGE replies raw: {@code [[id, [field, value, ...]], ...]}. */
    private static String streamEntries(List<Object> raw) {
        List<String> out = new ArrayList<>();
        for (Object entry : raw) {
            List<?> e = (List<?>) entry;
            List<String> fields = ((List<?>) e.get(1)).stream().map(f -> text((byte[]) f)).toList();
            out.add(text((byte[]) e.get(0)) + fields);
        }
        return out.toString();
    }

    private static String text(byte[] bytes) {
        return new String(bytes, ISO_8859_1);
    }
}
