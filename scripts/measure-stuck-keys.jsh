// Times KeyedQueue.stuckKeys and topKeys on a namespace of -Dkeys (default 1,000,000) ready keys of one job each,
// 100 parked, 50 with an expired lease and 64 running, on a redis-server of its own (docs/operations.md, "Which keys are stuck").
// Run after ./seriatim has built the jars:
//   $JAVA_HOME/bin/jshell -R-Xmx3g --class-path cli/target/seriatim.jar:tools/target/seriatim-tools.jar scripts/measure-stuck-keys.jsh
import io.seriatim.core.queue.*;
import io.seriatim.core.settings.*;
import io.seriatim.core.redis.*;
import io.seriatim.localredis.*;
import java.time.Duration;
import java.util.*;
var server = RedisServer.start();
var redis = RedisConnector.connect(RedisSettings.of(server.uri()));
var q = KeyedQueue.open(redis, StatedSettings.adopt("big"));
int N = Integer.getInteger("keys", 1_000_000);
long t0 = System.nanoTime();
for (int b = 0; b < N; b += 10_000) {
    List<EnqueueRequest> batch = new ArrayList<>();
    for (int i = b; i < Math.min(N, b + 10_000); i++) batch.add(EnqueueRequest.of("key-" + i, "x".getBytes()));
    q.enqueueAll(batch);
}
System.out.printf("filled %d keys in %.1f s%n", N, (System.nanoTime() - t0) / 1e9);
for (int i = 0; i < 100; i++) q.park("key-" + (i * 7919 % N), "held");
var c = q.claim(0, "w", 50, Duration.ofMillis(1), 1);
var c2 = q.claim(0, "w2", 64, Duration.ofMinutes(5), 1);
Thread.sleep(20);
for (int r = 0; r < 7; r++) {
    long s = System.nanoTime();
    var st = q.stuckKeys(Duration.ofMinutes(10), Duration.ZERO, 20);
    long e = System.nanoTime();
    System.out.printf("stuckKeys: %.1f ms (%d listed, %d parked, truncated %s)%n", (e - s) / 1e6, st.keys().size(), st.parkedKeys(), st.truncated());
}
for (int r = 0; r < 3; r++) {
    long s = System.nanoTime();
    var top = q.topKeys(KeyRow.Order.DEPTH, null, 20);
    System.out.printf("topKeys depth: %.1f s (%d rows)%n", (System.nanoTime() - s) / 1e9, top.size());
}
System.out.println("used_memory " + redis.info("memory").lines().filter(l -> l.startsWith("used_memory_human")).findFirst().orElse("?"));
redis.close();
server.close();
/exit
