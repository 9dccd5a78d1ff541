package io.seriatim.core.queue;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
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
 * <p>Tests only: SCAN plus two pipelines of reads, not atomic.
 */
record RedisDump(Map<String, String> entries) {

    /**
     * The same without the id bookkeeping: the sequence counters and the id blocks' markers,
     * which move whenever a gateway takes a block, even for a resend that writes no job.
     */
    RedisDump withoutIdBlocks() {
        Map<String, String> kept = new java.util.TreeMap<>(entries);
        kept.keySet().removeIf(k -> k.endsWith(":seq") || k.matches(".*:ids:\\d+"));
        return new RedisDump(kept);
    }

    static RedisDump of(UnifiedJedis redis) {
        List<byte[]> keys = new ArrayList<>();
        byte[] cursor = ScanParams.SCAN_POINTER_START_BINARY;
        do {
            ScanResult<byte[]> page = redis.scan(cursor, new ScanParams().count(1000));
            keys.addAll(page.getResult());
            cursor = page.getCursorAsBytes();
        } while (!text(cursor).equals(ScanParams.SCAN_POINTER_START));
        // Two pipelines (types and TTLs, then contents): a dump costs three round trips, not three per key.
        List<Response<String>> types = new ArrayList<>();
        List<Response<Long>> ttls = new ArrayList<>();
        try (AbstractPipeline pipe = redis.pipelined()) {
            for (byte[] key : keys) {
                types.add(pipe.type(key));
                ttls.add(pipe.pttl(key));
            }
            pipe.sync();
        }
        List<Supplier<String>> contents = new ArrayList<>();
        try (AbstractPipeline pipe = redis.pipelined()) {
            for (int i = 0; i < keys.size(); i++) {
                contents.add(content(pipe, keys.get(i), types.get(i).get()));
            }
            pipe.sync();
        }
        Map<String, String> entries = new TreeMap<>();
        for (int i = 0; i < keys.size(); i++) {
            String content = contents.get(i).get();
            if (content == null) {
                continue; // a key with a TTL (an id block's marker, a dedup id) expired since the scan
            }
            entries.put(text(keys.get(i)), types.get(i).get() + (ttls.get(i).get() >= 0 ? " with TTL " : " ")
                    + content);
        }
        return new RedisDump(entries);
    }

    int size() {
        return entries.size();
    }

    /** Queues the read of one key's content; the supplier formats it once the pipeline has synced. */
    private static Supplier<String> content(AbstractPipeline pipe, byte[] key, String type) {
        return switch (type) {
            case "string" -> {
                Response<byte[]> r = pipe.get(key);
                yield () -> r.get() == null ? null : text(r.get());
            }
            case "list" -> {
                Response<List<byte[]>> r = pipe.lrange(key, 0, -1);
                yield () -> r.get().stream().map(RedisDump::text).toList().toString();
            }
            case "hash" -> {
                Response<Map<byte[], byte[]>> r = pipe.hgetAll(key);
                yield () -> {
                    Map<String, String> h = new TreeMap<>();
                    r.get().forEach((k, v) -> h.put(text(k), text(v)));
                    return h.toString();
                };
            }
            case "zset" -> {
                Response<List<Tuple>> r = pipe.zrangeWithScores(key, 0, -1);
                yield () -> r.get().stream().map(t -> text(t.getBinaryElement()) + "=" + t.getScore()).toList()
                        .toString();
            }
            case "set" -> {
                Response<Set<byte[]>> r = pipe.smembers(key);
                yield () -> r.get().stream().map(RedisDump::text).sorted().toList().toString();
            }
            case "stream" -> {
                Response<List<Object>> r = pipe.xrange(key, "-".getBytes(ISO_8859_1), "+".getBytes(ISO_8859_1));
                yield () -> streamEntries(r.get());
            }
            default -> () -> "(" + type + ")";
        };
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
