package io.seriatim.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** /health says whether the gateway can serve: its event loops and its Redis, not Redis alone. */
class GatewayHealthTest extends GatewayTestSupport {
    @Test
    void aStuckEventLoopFailsHealthAndAStoppedGatewayToo() throws Exception {
        GatewayServer g = GatewayServer.start(gatewaySettings().build(), metrics);
        try {
            assertThat(g.health()).isNull();
            CountDownLatch release = new CountDownLatch(1);
            g.ioLoops().next().execute(() -> {
                try {
                    release.await(10, TimeUnit.SECONDS); // what an event loop wedged by a failure looks like
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertThat(g.health()).isEqualTo("an event loop of the gateway did not run a task within 1000 ms");
            release.countDown();
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> g.health() == null);
        } finally {
            g.close();
        }
        assertThat(g.health()).isEqualTo("the gateway is stopped");
    }
}
