package io.seriatim.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seriatim.client.SubmitException.Code;
import io.seriatim.client.SubmitException.Outcome;
import io.seriatim.proto.v1.Envelope;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a caller is told when the gateway is not there, goes away, or sends too much. */
class ProducerConnectionTest {
    Producer producer;

    @AfterEach
    void closeProducer() {
        if (producer != null) {
            producer.close();
        }
    }

    static ProducerSettings.Builder settings(int port) {
        return ProducerSettings.builder("127.0.0.1", port, "ns").closeTimeout(Duration.ofMillis(100));
    }

    static SubmitException failure(CompletableFuture<Long> f, Duration within) {
        assertThat(f).failsWithin(within).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOf(SubmitException.class);
        return (SubmitException) f.exceptionNow();
    }

    static int portWithNothingListening() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void connectingWhereNothingListensFailsAtOnceSayingNothingWasSent() throws IOException {
        int port = portWithNothingListening();
        long start = System.nanoTime();
        assertThatThrownBy(() -> producer = Producer.connect(settings(port).build()))
                .isInstanceOfSatisfying(SubmitException.class, e -> {
                    assertThat(e.code()).isEqualTo(Code.UNREACHABLE);
                    assertThat(e.outcome()).isEqualTo(Outcome.NOT_SENT);
                })
                .hasMessage("cannot connect to the gateway at 127.0.0.1:" + port + ": connection refused; nothing was sent");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("at once, not after a timeout").isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void whenTheGatewayDiesJobsInFlightHaveAnUnknownOutcomeAndBufferedOnesWereNeverSent() throws Exception {
        CompletableFuture<Long> inFlight;
        CompletableFuture<Long> buffered;
        try (FakeGateway gateway = new FakeGateway()) {
            producer = Producer.connect(settings(gateway.port()).maxInFlight(1).requestTimeout(Duration.ofMillis(700))
                    .timeoutScanInterval(Duration.ofMillis(10)).reconnectBackoff(Duration.ofMillis(10))
                    .reconnectMax(Duration.ofMillis(50)).build());
            try (FakeGateway.Peer peer = gateway.accept()) {
                inFlight = producer.submit("k", "a".getBytes(UTF_8));
                assertThat(peer.read().getSubmit().getJobs(0).getKey()).isEqualTo("k");
                buffered = producer.submit("k", "b".getBytes(UTF_8)); // maxInFlight 1: it stays buffered
            }
        } // the gateway is dead: its connection closed, and reconnecting is refused

        SubmitException sent = failure(inFlight, Duration.ofSeconds(10));
        assertThat(sent.code()).isEqualTo(Code.TIMED_OUT);
        assertThat(sent.outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(sent).hasMessage("not acknowledged within PT0.7S; it was sent, so it may have been enqueued");
        SubmitException unsent = failure(buffered, Duration.ofSeconds(10));
        assertThat(unsent.code()).isEqualTo(Code.TIMED_OUT);
        assertThat(unsent.outcome()).isEqualTo(Outcome.NOT_SENT);
        assertThat(unsent).hasMessage("not sent within PT0.7S: no connection to the gateway (connection refused)"
                + "; it was never sent, so it is not enqueued");
    }

    @Test
    void anAnswerOverMaxAnswerBytesClosesTheConnectionAndFailsItsJobsAtOnce() throws Exception {
        try (FakeGateway gateway = new FakeGateway()) {
            producer = Producer.connect(settings(gateway.port()).maxAnswerBytes(1024).build());
            try (FakeGateway.Peer peer = gateway.accept()) {
                CompletableFuture<Long> f = producer.submit("k", "a".getBytes(UTF_8));
                Envelope submit = peer.read();
                assertThat(submit.hasSubmit()).isTrue();
                peer.write(new byte[] {(byte) 0x88, 0x27}); // a length prefix of 5000: the frame never needs to follow

                SubmitException e = failure(f, Duration.ofSeconds(5)); // well before requestTimeout (30 s)
                assertThat(e.code()).isEqualTo(Code.BAD_ANSWER);
                assertThat(e.outcome()).isEqualTo(Outcome.UNKNOWN);
                assertThat(e).hasMessage("the gateway's frame of 5000 bytes is over the limit of 1024"
                        + " (ProducerSettings.maxAnswerBytes): the connection was closed; it was sent, so it may have been enqueued");
                assertThat(peer.read()).as("the producer closed the connection").isNull();
            }
        }
    }
}
