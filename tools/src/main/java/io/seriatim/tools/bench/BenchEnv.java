package io.seriatim.tools.bench;

import io.seriatim.core.queue.EnqueueRequest;
import io.seriatim.core.queue.KeyedQueue;
import io.seriatim.core.queue.NewJob;
import io.seriatim.core.redis.RedisConnector;
import io.seriatim.core.redis.RedisSettings;
import io.seriatim.core.settings.NamespaceSettings;
import io.seriatim.localredis.RedisServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.UnifiedJedis;

/**
 * One scenario's world: a fresh redis-server (no persistence: the figures measure Seriatim, and
 * the reference systems ran on Redis' defaults), a client and a namespace. Closed after the run.
 */
final class BenchEnv implements AutoCloseable {
    static final String NS = "bench";

    final RedisServer server;
    final RedisSettings redisSettings;
    final UnifiedJedis redis;
    final KeyedQueue queue;

    BenchEnv(NamespaceSettings.Builder ns) {
        server = RedisServer.start(List.of("--appendonly", "no", "--save", ""));
        redisSettings = RedisSettings.builder(server.uri()).poolSize(64).build();
        redis = RedisConnector.connect(redisSettings);
        queue = KeyedQueue.open(redis, ns.build());
    }

    /** Payload of job seq of key: "key:seq" padded to {@code size} bytes. */
    static byte[] payload(String key, long seq, int size) {
        return payload((key + ":").getBytes(StandardCharsets.UTF_8), seq, size);
    }

    /**
     * The same from the key's "key:" bytes, made once per key: the submit loop runs this for
     * every job, and string building there took CPU from the gateway it measures.
     */
    static byte[] payload(byte[] keyColon, long seq, int size) {
        int digits = 1;
        for (long v = seq; v >= 10; v /= 10) {
            digits++;
        }
        byte[] out = new byte[Math.max(size, keyColon.length + digits)];
        System.arraycopy(keyColon, 0, out, 0, keyColon.length);
        java.util.Arrays.fill(out, keyColon.length + digits, out.length, (byte) ' ');
        for (int i = keyColon.length + digits - 1; i >= keyColon.length; i--) {
            out[i] = (byte) ('0' + seq % 10);
            seq /= 10;
        }
        return out;
    }

    /** What a submit-like scenario left in Redis, and what the scripts cost to put it there. */
    record Stored(long scriptMicros, long scriptCalls, long pending, boolean ordered) {
        boolean complete(long expected) {
            return ordered && pending == expected;
        }

        String note(long expected) {
            return pending + "/" + expected + " in Redis, order " + (ordered ? "held" : "BROKEN");
        }
    }

    /** Reads the script stats first: the checks after them (inspect, counts) run scripts too. */
    Stored stored(int keys) {
        long micros = scriptMicros();
        long calls = scriptCalls();
        return new Stored(micros, calls, queue.counts().pendingJobs(), listsInOrder(keys));
    }

    /** Whether every 50th key's list ("key-N") holds its jobs in submit order 1, 2, 3, ... */
    boolean listsInOrder(int keys) {
        for (int k = 0; k < keys; k += Math.max(1, keys / 50)) {
            long expect = 1;
            for (var job : queue.inspect("key-" + k, 100_000).head()) {
                if (seq(job.payload()) != expect++) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Parses the seq back out of a payload made by {@link #payload}. */
    static long seq(byte[] payload) {
        String s = new String(payload, StandardCharsets.UTF_8).strip();
        return Long.parseLong(s.substring(s.lastIndexOf(':') + 1));
    }

    /** Preloads keys x jobs straight into Redis (pipelined), interleaving keys. */
    void preload(int keys, int jobsPerKey, int payloadBytes) {
        List<EnqueueRequest> batch = new ArrayList<>();
        for (int seq = 1; seq <= jobsPerKey; seq++) {
            for (int k = 0; k < keys; k++) {
                String key = "key-" + k;
                batch.add(new EnqueueRequest(key, List.of(NewJob.of(payload(key, seq, payloadBytes))), null));
                if (batch.size() == 2000) {
                    queue.enqueueAll(batch);
                    batch.clear();
                }
            }
        }
        if (!batch.isEmpty()) {
            queue.enqueueAll(batch);
        }
    }

    long info(String section, String field) {
        for (String line : redis.info(section).split("\r?\n")) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1).strip());
            }
        }
        return -1;
    }

    long scriptCalls() {
        return scriptStat("calls=");
    }

    /** Microseconds Redis spent running scripts (INFO commandstats): Redis' own cost, whatever the clients do. */
    long scriptMicros() {
        return scriptStat("usec=");
    }

    private long scriptStat(String field) {
        long sum = 0;
        for (String line : redis.info("commandstats").split("\r?\n")) {
            if (line.startsWith("cmdstat_evalsha:") || line.startsWith("cmdstat_eval:")) {
                String v = line.substring(line.indexOf(field) + field.length());
                sum += Long.parseLong(v.substring(0, v.indexOf(',')));
            }
        }
        return sum;
    }

    @SuppressWarnings("deprecation") // Jedis 8 deprecates sendCommand and has no typed call for this command
    void resetStats() {
        redis.sendCommand(Protocol.Command.CONFIG, "RESETSTAT");
    }

    @Override
    public void close() {
        redis.close();
        server.close();
    }
}
