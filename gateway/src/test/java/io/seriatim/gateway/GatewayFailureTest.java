package io.seriatim.gateway;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import io.seriatim.client.Producer;
import io.seriatim.core.queue.KeyedQueue;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The gateway dies, Redis dies, or the wire is encrypted: every acknowledged job is in Redis once, in order. */
class GatewayFailureTest extends GatewayTestSupport {

    Process startGateway(int port) throws Exception {
        Path out = Files.createTempFile("gateway", ".log");
        Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                GatewayProcessMain.class.getName(), redis.server().uri(), Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        closeables.add(p::destroyForcibly);
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(out).contains("READY"));
        return p;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Every acknowledged job is in Redis exactly once, and each key's jobs are in submit order. */
    void assertEachKeyInOrderOnce(KeyedQueue q, int keys, List<List<CompletableFuture<Long>>> futures) {
        for (int k = 0; k < keys; k++) {
            List<String> stored = payloads(q, "k" + k);
            List<String> acked = new ArrayList<>();
            for (int seq = 0; seq < futures.get(k).size(); seq++) {
                if (!futures.get(k).get(seq).isCompletedExceptionally()) {
                    acked.add(Integer.toString(seq));
                }
            }
            assertThat(stored).as("key k%d: each stored once", k).doesNotHaveDuplicates();
            assertThat(stored).as("key k%d: every acknowledged job stored", k).containsAll(acked);
            List<Integer> asInts = stored.stream().map(Integer::parseInt).toList();
            assertThat(asInts).as("key k%d: in submit order", k).isSorted();
        }
    }

    @Test
    void killingTheGatewayMidStreamLosesNothingAndDuplicatesNothing() throws Exception {
        KeyedQueue q = queue();
        int port = freePort();
        Process gateway = startGateway(port);
        Producer p = producer(producerSettings(port).maxBatchJobs(50).linger(Duration.ofMillis(2)).build());
        int keys = 20;
        int perKey = 500;
        List<List<CompletableFuture<Long>>> futures = new ArrayList<>();
        for (int k = 0; k < keys; k++) {
            futures.add(new ArrayList<>());
        }
        Thread submitter = Thread.ofPlatform().start(() -> {
            for (int seq = 0; seq < perKey; seq++) {
                for (int k = 0; k < keys; k++) {
                    futures.get(k).add(p.submit("k" + k, Integer.toString(seq).getBytes(UTF_8)));
                }
                if (seq % 50 == 0) {
                    try {
                        Thread.sleep(20); // a steady stream, so the kill lands mid-way
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> q.counts().pendingJobs() > keys * perKey / 5);
        gateway.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        startGateway(port); // same port: the client reconnects and resends what was not answered
        submitter.join();
        List<CompletableFuture<Long>> all = futures.stream().flatMap(List::stream).toList();
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        assertEachKeyInOrderOnce(q, keys, futures);
        assertThat(q.counts().pendingJobs()).as("nothing twice").isEqualTo((long) keys * perKey);
    }

    @Test
    void whileRedisIsDownSubmitsWaitAndThenGoInOnceInOrder() throws Exception {
        KeyedQueue q = queue();
        GatewayServer g = gateway(gatewaySettings().build());
        Producer p = producer(producerSettings(g.port()).maxBatchJobs(10).build());
        int keys = 5;
        List<List<CompletableFuture<Long>>> futures = new ArrayList<>();
        for (int k = 0; k < keys; k++) {
            futures.add(new ArrayList<>());
        }
        for (int seq = 0; seq < 100; seq++) {
            for (int k = 0; k < keys; k++) {
                futures.get(k).add(p.submit("k" + k, Integer.toString(seq).getBytes(UTF_8)));
            }
            if (seq == 40) {
                redis.server().pause(); // frozen: the gateway's calls time out as unavailable
            }
        }
        Thread.sleep(1500); // let several batches be refused as unavailable and resent
        redis.server().resume();
        List<CompletableFuture<Long>> all = futures.stream().flatMap(List::stream).toList();
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        assertEachKeyInOrderOnce(q, keys, futures);
        assertThat(q.counts().pendingJobs()).isEqualTo(keys * 100L);
    }

    @Test
    void submitsTravelOverTls() throws Exception {
        X509Bundle cert = new CertificateBuilder().subject("CN=localhost").setIsCertificateAuthority(true)
                .addSanDnsName("localhost").buildSelfSigned();
        Path certFile = Files.createTempFile("gateway", ".pem");
        Path keyFile = Files.createTempFile("gateway", ".key");
        Files.writeString(certFile, cert.getCertificatePEM());
        Files.writeString(keyFile, cert.getPrivateKeyPEM());
        KeyedQueue q = queue();
        GatewayServer g = gateway(gatewaySettings().tls(certFile, keyFile).build());
        Producer p = producer(io.seriatim.client.ProducerSettings.builder("localhost", g.port(), NS)
                .tls(certFile).build());
        assertThat(p.submit("secure", "x".getBytes(UTF_8)).get(20, TimeUnit.SECONDS)).isPositive();
        assertThat(q.inspect("secure", 1).pending()).isEqualTo(1);
        Producer plain = producer(producerSettings(g.port()).requestTimeout(Duration.ofSeconds(2)).build());
        assertThat(plain.submit("k", new byte[1])).failsWithin(Duration.ofSeconds(10));
    }
}
