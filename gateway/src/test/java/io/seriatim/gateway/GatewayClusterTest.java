package io.seriatim.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import com.google.protobuf.ByteString;
import io.seriatim.core.queue.KeyedQueue;
import io.seriatim.core.redis.RedisConnector;
import io.seriatim.core.redis.RedisSettings;
import io.seriatim.core.settings.NamespaceSettings;
import io.seriatim.localredis.RedisCluster;
import io.seriatim.localredis.RedisServer;
import io.seriatim.proto.v1.Envelope;
import io.seriatim.proto.v1.JobResult;
import io.seriatim.proto.v1.Rejection;
import io.seriatim.proto.v1.SubmitBatch;
import io.seriatim.proto.v1.SubmitJob;
import io.seriatim.testkit.DeploymentExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.UnifiedJedis;

/**
 * The gateway on a real local Redis Cluster with waitReplicas 1 while the only replica of one
 * master is frozen: a batch that wrote to that master is answered UNAVAILABLE saying how many
 * replicas confirmed, as on one Redis; a batch that wrote only to the other masters is
 * acknowledged (issue 15, part 3).
 */
class GatewayClusterTest {
    @RegisterExtension
    static final DeploymentExtension<RedisCluster> cluster = DeploymentExtension.cluster();

    /** 12 partitions, 4 on each master (spread tags). */
    private static final NamespaceSettings SPREAD = NamespaceSettings.builder("spread").partitions(12).build();

    @Test
    void aBatchThatWroteToAMasterWithoutItsReplicaIsAnsweredNotReplicated() throws Exception {
        RedisCluster c = cluster.deployment();
        try (UnifiedJedis redis = RedisConnector.connect(RedisSettings.of(cluster.uri()))) {
            KeyedQueue queue = KeyedQueue.open(redis, SPREAD);
            RedisServer lagging = c.masters().get(2);
            String onLagging = keyOn(c, queue, lagging, true);
            String elsewhere = keyOn(c, queue, lagging, false);
            GatewaySettings settings = GatewaySettings.builder(RedisSettings.of(cluster.uri())).host("127.0.0.1")
                    .port(0).waitReplicas(1, Duration.ofSeconds(1)).build();
            try (GatewayServer g = GatewayServer.start(settings, new MetricRegistry())) {
                c.replicaOf(lagging).orElseThrow().pause();
                List<JobResult> mixed = submit(g, onLagging, elsewhere);
                assertThat(mixed).allSatisfy(r -> {
                    assertThat(r.getRejected().getCode()).isEqualTo(Rejection.Code.UNAVAILABLE);
                    assertThat(r.getRejected().getReason())
                            .isEqualTo("only 0 of 1 replicas confirmed the write within PT1S");
                });
                // The gateway closes a connection after UNAVAILABLE (its later batches must not pass the
                // failed one): the next batch comes on a new connection, as a client's resend would.
                assertThat(submit(g, elsewhere)).singleElement()
                        .satisfies(r -> assertThat(r.getJobId()).as("%s", r).isPositive());
            }
        }
    }

    /** A key whose partition is (or, with {@code on} false, is not) on {@code master}. */
    private static String keyOn(RedisCluster c, KeyedQueue queue, RedisServer master, boolean on) {
        for (int i = 0; ; i++) {
            String key = "k" + i;
            if (c.masterOfKey(queue.keys().partitionOf(key).prefix()).equals(master) == on) {
                return key;
            }
        }
    }

    /** One batch of one job per key, on a connection of its own. */
    private static List<JobResult> submit(GatewayServer g, String... keys) throws Exception {
        try (RawConnection conn = new RawConnection(g.port())) {
            conn.hello(null);
            assertThat(conn.read().hasHelloOk()).isTrue();
            SubmitBatch.Builder batch = SubmitBatch.newBuilder().setRequestId(1).setNamespace(SPREAD.name());
            for (String key : keys) {
                batch.addJobs(SubmitJob.newBuilder().setKey(key).setPayload(ByteString.copyFromUtf8("x")));
            }
            conn.send(Envelope.newBuilder().setSubmit(batch).build());
            return conn.read().getResults().getResultsList();
        }
    }
}
