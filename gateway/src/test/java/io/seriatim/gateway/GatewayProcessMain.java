package io.seriatim.gateway;

import com.codahale.metrics.MetricRegistry;
import io.seriatim.core.redis.RedisSettings;

/** A gateway in its own JVM for the kill -9 test: {@code redisUri port}. Prints READY when listening. */
public final class GatewayProcessMain {
    public static void main(String[] args) throws Exception {
        GatewayServer g = GatewayServer.start(GatewaySettings.builder(RedisSettings.of(args[0])).host("127.0.0.1")
                .port(Integer.parseInt(args[1])).build(), new MetricRegistry());
        System.out.println("READY " + g.port());
        System.out.flush();
        Thread.currentThread().join();
    }
}
