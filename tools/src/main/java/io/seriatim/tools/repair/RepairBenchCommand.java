package io.seriatim.tools.repair;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.seriatim.core.keys.PartitionKeys;
import io.seriatim.core.queue.EnqueueRequest;
import io.seriatim.core.queue.KeyedQueue;
import io.seriatim.core.queue.NewJob;
import io.seriatim.core.queue.RepairCursor;
import io.seriatim.core.queue.RepairPage;
import io.seriatim.core.settings.NamespaceSettings;
import io.seriatim.localredis.RedisServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import io.seriatim.core.redis.RedisConnector;
import io.seriatim.core.redis.RedisSettings;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.UnifiedJedis;

/**
 * Measures the sweeper's repair pass: what one page costs and how long a whole pass over many
 * keys takes, on a Redis of its own. The keys are real (submitted through enqueueAll); a few are
 * then stranded by hand (their ready entry removed), and the pass must find every one.
 */
@Command(name = "repair-bench", mixinStandardHelpOptions = true,
        description = {"Measure the sweeper's repair pass on a Redis of its own: the time per page (wall, and Redis' own "
                + "from INFO commandstats) and the time to cover every key, with some keys stranded on purpose."})
public final class RepairBenchCommand implements Callable<Integer> {
    @Option(names = "--keys", defaultValue = "1000000", description = "keys with one pending job each (default ${DEFAULT-VALUE})")
    int keys;

    @Option(names = "--page", defaultValue = "1000", description = "names scanned per page (default ${DEFAULT-VALUE})")
    int page;

    @Option(names = "--stranded", defaultValue = "1000", description = "keys stranded on purpose (default ${DEFAULT-VALUE})")
    int stranded;

    @Option(names = "--seed", description = "seed of the stranded keys' choice (default: random, printed)")
    Long seed;

    @Override
    @SuppressWarnings("SystemOut") // a command's report
    public Integer call() {
        long s = seed == null ? System.nanoTime() : seed;
        try (RedisServer server = RedisServer.start(List.of("--appendonly", "no", "--save", ""));
                UnifiedJedis redis = RedisConnector.connect(RedisSettings.builder(server.uri()).build())) {
            KeyedQueue queue = KeyedQueue.open(redis, NamespaceSettings.builder("repair-bench").build());
            System.out.printf("Redis %s, %,d keys of one job, %,d stranded (seed %d), pages of %,d names%n",
                    server.version(), keys, stranded, s, page);
            long t0 = System.nanoTime();
            List<EnqueueRequest> batch = new ArrayList<>();
            for (int k = 0; k < keys; k++) {
                batch.add(new EnqueueRequest("key-" + k, List.of(NewJob.of(new byte[16])), null));
                if (batch.size() == 5000 || k == keys - 1) {
                    queue.enqueueAll(batch);
                    batch.clear();
                }
            }
            System.out.printf("filled in %.1f s%n", (System.nanoTime() - t0) / 1e9);
            PartitionKeys p = queue.keys().partition(0);
            Random random = new Random(s);
            int[] strand = random.ints(0, keys).distinct().limit(Math.min(stranded, keys)).toArray();
            for (int k : strand) {
                redis.zrem(p.ready(), ("key-" + k).getBytes(UTF_8)); // damage from outside the scripts
            }
            resetStats(redis);
            List<Long> pageNanos = new ArrayList<>();
            long checked = 0;
            long mended = 0;
            RepairCursor at = RepairCursor.start();
            long start = System.nanoTime();
            while (true) {
                long t = System.nanoTime();
                RepairPage r = queue.repairPage(0, at, page);
                pageNanos.add(System.nanoTime() - t);
                checked += r.checked();
                mended += r.mended().size();
                at = r.next();
                if (r.passDone()) {
                    break;
                }
            }
            double passSeconds = (System.nanoTime() - start) / 1e9;
            long[] sorted = pageNanos.stream().mapToLong(Long::longValue).sorted().toArray();
            String stats = redis.info("commandstats");
            System.out.printf(Locale.ROOT, "pass: %,d pages, %,d names checked, %,d mended (of %,d stranded), %.2f s wall%n",
                    sorted.length, checked, mended, strand.length, passSeconds);
            System.out.printf(Locale.ROOT, "page wall time: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n", ms(sorted, 0.5),
                    ms(sorted, 0.99), sorted[sorted.length - 1] / 1e6);
            for (String line : stats.split("\r?\n")) {
                if (line.startsWith("cmdstat_evalsha:") || line.startsWith("cmdstat_scan:")
                        || line.startsWith("cmdstat_zscan:") || line.startsWith("cmdstat_hscan:")) {
                    System.out.println("Redis " + line);
                }
            }
            return mended == strand.length ? 0 : 1;
        }
    }

    @SuppressWarnings("deprecation") // Jedis 8 deprecates sendCommand and has no typed call for this command
    private static void resetStats(UnifiedJedis redis) {
        redis.sendCommand(Protocol.Command.CONFIG, "RESETSTAT");
    }

    private static double ms(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(q * sorted.length))] / 1e6;
    }
}
