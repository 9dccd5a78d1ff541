package io.seriatim.gateway;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seriatim.client.Producer;
import io.seriatim.client.SubmitException;
import io.seriatim.client.SubmitOptions;
import io.seriatim.core.keys.PartitionKeys;
import io.seriatim.core.queue.KeyedQueue;
import io.seriatim.core.queue.UnknownNamespaceException;
import io.seriatim.core.settings.NamespaceSettings;
import io.seriatim.core.settings.SettingsConflictException;
import io.seriatim.core.settings.StatedSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.params.ScanParams;

/** The gateway enforces each namespace's stored settings, and refuses to start against them. */
class GatewayNamespaceSettingsTest extends GatewayTestSupport {
    static NamespaceSettings.Builder orders() {
        return NamespaceSettings.builder(NS);
    }

    static String refusal(Producer p, String key, byte[] payload, SubmitOptions opts) throws Exception {
        try {
            p.submit(key, payload, opts).get(10, TimeUnit.SECONDS);
            throw new AssertionError("accepted");
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(SubmitException.class);
            assertThat(((SubmitException) e.getCause()).code()).isEqualTo(SubmitException.Code.INVALID);
            return e.getCause().getMessage();
        }
    }

    @Test
    void submitsMeetTheNamespacesStoredLimitsNotTheDefaults() throws Exception {
        KeyedQueue q = KeyedQueue.open(redis.client(), orders().maxPayloadBytes(16).maxKeyBytes(8).maxHeaders(1).build());
        GatewayServer g = gateway(gatewaySettings().build());
        Producer p = producer(producerSettings(g.port()).build());
        assertThat(p.submit("k", new byte[16]).get(10, TimeUnit.SECONDS)).isPositive();
        assertThat(refusal(p, "k", new byte[17], SubmitOptions.NONE))
                .contains("payload is 17 bytes, over the limit of 16 (namespace orders)");
        assertThat(refusal(p, "123456789", new byte[1], SubmitOptions.NONE))
                .contains("key is 9 bytes, over the limit of 8 (namespace orders)");
        assertThat(refusal(p, "k", new byte[1], SubmitOptions.NONE.withHeaders(Map.of("a", "1", "b", "2"))))
                .contains("2 headers, over the limit of 1");
        assertThat(q.inspect("k", 0).pending()).isEqualTo(1);
    }

    @Test
    void aDedupIdIsRememberedForTheNamespacesStoredWindow() throws Exception {
        KeyedQueue q = KeyedQueue.open(redis.client(), orders().dedupWindow(Duration.ofSeconds(2)).build());
        GatewayServer g = gateway(gatewaySettings().build());
        Producer p = producer(producerSettings(g.port()).build());
        SubmitOptions once = SubmitOptions.NONE.withDedupId("order-7");
        long id = p.submit("k", "x".getBytes(UTF_8), once).get(10, TimeUnit.SECONDS);
        assertThat(p.submit("k", "x".getBytes(UTF_8), once).get(10, TimeUnit.SECONDS)).isEqualTo(id);
        List<String> dedupKeys = new ArrayList<>();
        for (PartitionKeys partition : q.keys().partitions()) {
            dedupKeys.addAll(redis.client().scan(ScanParams.SCAN_POINTER_START,
                    new ScanParams().match(partition.prefix() + "dedup:*").count(1000)).getResult());
        }
        assertThat(dedupKeys).isNotEmpty();
        for (String key : dedupKeys) {
            assertThat(redis.client().pttl(key)).as("TTL of %s", key).isBetween(1L, 2000L);
        }
    }

    @Test
    void aGatewayStartedWithSettingsThatContradictTheStoredOnesIsRefused() {
        KeyedQueue.open(redis.client(), orders().maxPayloadBytes(4096).build());
        assertThatThrownBy(() -> gateway(gatewaySettings()
                .namespaces(List.of(StatedSettings.of(orders().maxPayloadBytes(1024)))).build()))
                .isInstanceOf(SettingsConflictException.class)
                .hasMessage("namespace 'orders': maxPayloadBytes is 4096 in Redis, this process was given 1024 (stored "
                        + "settings change only through 'seriatim namespace update'; leave these out to use them)");
        gateway(gatewaySettings().namespaces(List.of(StatedSettings.of(orders().maxPayloadBytes(4096)))).build());
    }

    @Test
    void aGatewayStartedWithSettingsOfAnUnknownNamespaceIsRefusedAndCreatesNothing() {
        assertThatThrownBy(() -> gateway(gatewaySettings()
                .namespaces(List.of(StatedSettings.of(orders().maxPayloadBytes(1024)))).build()))
                .isInstanceOf(UnknownNamespaceException.class).hasMessage("unknown namespace 'orders'");
        assertThat(redis.client().dbSize()).isZero();
    }

    @Test
    void aNamespaceGivenTwiceIsRefused() {
        assertThatThrownBy(() -> gatewaySettings().namespaces(List.of(StatedSettings.adopt(NS), StatedSettings.adopt(NS)))
                .build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("namespace 'orders' is given twice");
    }
}
