package io.seriatim.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.seriatim.client.SubmitException.Code;
import io.seriatim.client.SubmitException.Outcome;
import io.seriatim.proto.v1.JobResult;
import io.seriatim.proto.v1.Rejection;
import io.seriatim.proto.v1.SubmitJob;
import io.seriatim.proto.v1.SubmitResults;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The rules of the producer's in-flight state, without Netty: the test plays the sender and the
 * I/O thread by calling what they call, connections are strings, time is a number.
 */
class InFlightTest {
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final String A = "connection A";
    static final String B = "connection B";

    final long start = System.nanoTime();
    InFlight<String> inFlight = new InFlight<>(settings().build());
    long nextRequestId = 1;

    static ProducerSettings.Builder settings() {
        return ProducerSettings.builder("gateway", 7420, "ns").requestTimeout(TIMEOUT).bufferTimeout(Duration.ofSeconds(1));
    }

    CompletableFuture<Long> submit(String payload) {
        return submit(payload, start + TIMEOUT.toNanos());
    }

    CompletableFuture<Long> submit(String payload, long deadlineNanos) {
        CompletableFuture<Long> f = new CompletableFuture<>();
        inFlight.add(new PendingJob(SubmitJob.newBuilder().setKey("k").setPayload(ByteString.copyFromUtf8(payload)).build(),
                f, deadlineNanos));
        return f;
    }

    /** What the sender does with new jobs: up to {@code n} buffered jobs in a batch, admitted on {@code conn}. */
    Batch send(String conn, int n) {
        List<PendingJob> jobs = new ArrayList<>();
        inFlight.drainBuffered(jobs, n);
        long id = nextRequestId++;
        Batch b = Batch.of(id, "ns", "session:" + id, jobs);
        inFlight.admit(conn, b);
        return b;
    }

    static List<String> payloads(Batch b) {
        return b.message().getSubmit().getJobsList().stream().map(j -> j.getPayload().toStringUtf8()).toList();
    }

    static SubmitResults answer(Batch b, JobResult... results) {
        return SubmitResults.newBuilder().setRequestId(b.requestId()).addAllResults(List.of(results)).build();
    }

    static JobResult id(long id) {
        return JobResult.newBuilder().setJobId(id).build();
    }

    static JobResult rejected(Rejection.Code code, String reason) {
        return JobResult.newBuilder().setRejected(Rejection.newBuilder().setCode(code).setReason(reason)).build();
    }

    static SubmitException failure(CompletableFuture<Long> f) {
        assertThat(f).isCompletedExceptionally();
        try {
            f.join();
            throw new AssertionError("not failed");
        } catch (java.util.concurrent.CompletionException e) {
            assertThat(e.getCause()).isInstanceOf(SubmitException.class);
            return (SubmitException) e.getCause();
        }
    }

    // ------------------------------------------------------------ order

    @Test
    void afterALostConnectionTheUnansweredBatchesGoAgainFirstInTheirOrderAndAsTheyWere() {
        inFlight.connected(A);
        submit("1");
        submit("2");
        submit("3");
        Batch first = send(A, 2);
        Batch second = send(A, 1);
        inFlight.disconnected(A);
        submit("4");
        inFlight.connected(B);

        Batch again = inFlight.takeWaiting(B);
        assertThat(again.message()).as("byte for byte, for the gateway's dedup").isEqualTo(first.message());
        assertThat(inFlight.takeWaiting(B).message()).isEqualTo(second.message());
        assertThat(inFlight.takeWaiting(B)).isNull();
        assertThat(payloads(send(B, 10))).containsExactly("4");
    }

    @Test
    void aBatchFormedWhileItsConnectionWentAwayWaitsForTheNextOne() {
        inFlight.connected(A);
        submit("1");
        inFlight.disconnected(A);
        Batch b = send(A, 1);
        assertThat(inFlight.takeWaiting(A)).as("A is gone").isNull();
        inFlight.connected(B);
        assertThat(inFlight.takeWaiting(B).message()).isEqualTo(b.message());
    }

    @Test
    void noMoreThanMaxInFlightBatchesAreUnanswered() throws Exception {
        inFlight = new InFlight<>(settings().maxInFlight(1).build());
        inFlight.connected(A);
        submit("1");
        submit("2");
        Batch first = send(A, 1);
        CompletableFuture<String> room = CompletableFuture.supplyAsync(() -> {
            try {
                return inFlight.awaitRoom();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            room.get(300, TimeUnit.MILLISECONDS);
            throw new AssertionError("room while a batch is unanswered and maxInFlight is 1");
        } catch (TimeoutException expected) {
            // still waiting, as it should
        }
        inFlight.answered(answer(first, id(1)));
        assertThat(room.get(10, TimeUnit.SECONDS)).isEqualTo(A);
    }

    // ------------------------------------------------------------ answers

    @Test
    void anAnswerCompletesEachJobOfItsBatchInOrder() {
        inFlight.connected(A);
        CompletableFuture<Long> a = submit("a");
        CompletableFuture<Long> b = submit("b");
        CompletableFuture<Long> c = submit("c");
        CompletableFuture<Long> d = submit("d");
        Batch batch = send(A, 4);
        boolean drop = inFlight.answered(answer(batch, id(10), JobResult.newBuilder().setDuplicateOf(7).build(),
                rejected(Rejection.Code.INVALID, "key must not be empty"), rejected(Rejection.Code.UNKNOWN_NAMESPACE, "no ns")));

        assertThat(drop).isFalse();
        assertThat(a).isCompletedWithValue(10L);
        assertThat(b).as("a duplicate is a success").isCompletedWithValue(7L);
        SubmitException invalid = failure(c);
        assertThat(invalid.code()).isEqualTo(Code.INVALID);
        assertThat(invalid.outcome()).isEqualTo(Outcome.NOT_ENQUEUED);
        assertThat(invalid).hasMessage("key must not be empty");
        assertThat(failure(d).code()).isEqualTo(Code.UNKNOWN_NAMESPACE);
        assertThat(inFlight.busy()).isFalse();
    }

    @Test
    void anAnswerForAnUnknownRequestIdIsIgnored() {
        inFlight.connected(A);
        CompletableFuture<Long> f = submit("a");
        Batch batch = send(A, 1);
        assertThat(inFlight.answered(SubmitResults.newBuilder().setRequestId(99).addResults(id(5)).build())).isFalse();
        assertThat(f).isNotDone();
        inFlight.answered(answer(batch, id(1)));
        assertThat(inFlight.answered(answer(batch, id(2)))).as("answered twice").isFalse();
        assertThat(f).isCompletedWithValue(1L);
    }

    @Test
    void anAnswerWithTooFewResultsFailsTheJobsWithoutOne() {
        inFlight.connected(A);
        CompletableFuture<Long> a = submit("a");
        CompletableFuture<Long> b = submit("b");
        inFlight.answered(answer(send(A, 2), id(1)));
        assertThat(a).isCompletedWithValue(1L);
        SubmitException e = failure(b);
        assertThat(e.code()).isEqualTo(Code.BAD_ANSWER);
        assertThat(e.outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(e).hasMessage("the gateway answered batch 1 with 1 results for 2 jobs; it was sent, so it may have been enqueued");
    }

    @Test
    void unavailableSendsTheBatchBackAsItWasAndNothingMoreGoesOnThatConnection() {
        inFlight.connected(A);
        CompletableFuture<Long> a = submit("a");
        CompletableFuture<Long> b = submit("b");
        Batch batch = send(A, 2);
        assertThat(inFlight.answered(answer(batch, id(1), rejected(Rejection.Code.UNAVAILABLE, "Redis unavailable"))))
                .as("drop the connection").isTrue();
        assertThat(a).isCompletedWithValue(1L);
        assertThat(b).as("resent, not failed").isNotDone();
        assertThat(inFlight.takeWaiting(A)).isNull();
        inFlight.disconnected(A);
        inFlight.connected(B);
        assertThat(inFlight.takeWaiting(B).message()).isEqualTo(batch.message());
    }

    @Test
    void aBadAnswerFailsWhatWasUnansweredOnThatConnectionAndNothingElse() {
        inFlight.connected(A);
        CompletableFuture<Long> sent = submit("sent");
        send(A, 1);
        CompletableFuture<Long> buffered = submit("buffered");
        inFlight.badAnswer(A, "frame too big");
        SubmitException e = failure(sent);
        assertThat(e.code()).isEqualTo(Code.BAD_ANSWER);
        assertThat(e.outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(e).hasMessage("frame too big; it was sent, so it may have been enqueued");
        assertThat(buffered).isNotDone();
        inFlight.disconnected(A);
        inFlight.connected(B);
        assertThat(inFlight.takeWaiting(B)).as("the failed batch is not resent").isNull();
        assertThat(payloads(send(B, 10))).containsExactly("buffered");
    }

    // ------------------------------------------------------------ timeouts

    @Test
    void aJobNoConnectionTookInTimeFailsAsNeverSentAndSaysWhy() {
        CompletableFuture<Long> f = submit("a", start + 1000);
        inFlight.connectFailed("connection refused");
        inFlight.expire(start + 999);
        assertThat(f).isNotDone();
        inFlight.expire(start + 1001);
        SubmitException e = failure(f);
        assertThat(e.code()).isEqualTo(Code.TIMED_OUT);
        assertThat(e.outcome()).isEqualTo(Outcome.NOT_SENT);
        assertThat(e).hasMessage("not sent within PT30S: no connection to the gateway (connection refused)"
                + "; it was never sent, so it is not enqueued");
        inFlight.connected(A);
        assertThat(inFlight.drainBuffered(new ArrayList<>(), 10)).as("taken out of the buffer").isZero();
    }

    @Test
    void aJobThatTimesOutInABatchNeverWrittenIsTakenOutOfItSoItIsNeverSent() {
        inFlight.connected(A);
        CompletableFuture<Long> early = submit("early", start + 1000);
        CompletableFuture<Long> late = submit("late", start + TIMEOUT.toNanos());
        inFlight.disconnected(A);
        Batch formed = send(A, 2); // A went away: it waits, never written
        inFlight.expire(start + 1001);
        assertThat(failure(early).outcome()).isEqualTo(Outcome.NOT_SENT);
        inFlight.connected(B);
        Batch sent = inFlight.takeWaiting(B);
        assertThat(payloads(sent)).containsExactly("late");
        assertThat(sent.requestId()).isEqualTo(formed.requestId());
        assertThat(late).isNotDone();
    }

    @Test
    void aSentJobWithoutAnAnswerTimesOutWithAnUnknownOutcomeAndIsNotResent() {
        inFlight.connected(A);
        CompletableFuture<Long> f = submit("a", start + 1000);
        send(A, 1);
        inFlight.disconnected(A);
        inFlight.expire(start + 1001);
        SubmitException e = failure(f);
        assertThat(e.code()).isEqualTo(Code.TIMED_OUT);
        assertThat(e.outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(e).hasMessage("not acknowledged within PT30S; it was sent, so it may have been enqueued");
        inFlight.connected(B);
        assertThat(inFlight.takeWaiting(B)).as("nobody waits for it any more").isNull();
    }

    @Test
    void onlyDueJobsTimeOut() {
        inFlight.connected(A);
        CompletableFuture<Long> due = submit("due", start + 1000);
        CompletableFuture<Long> notYet = submit("not yet", start + 5000);
        send(A, 2);
        CompletableFuture<Long> buffered = submit("buffered", start + 5000);
        inFlight.expire(start + 2000);
        assertThat(due).isCompletedExceptionally();
        assertThat(notYet).isNotDone();
        assertThat(buffered).isNotDone();
    }

    // ------------------------------------------------------------ stopping

    @Test
    void closeFailsWhatIsLeftAtItsDeadlineSayingWhetherItWasSent() {
        inFlight.connected(A);
        CompletableFuture<Long> sent = submit("sent");
        send(A, 1);
        CompletableFuture<Long> buffered = submit("buffered");
        inFlight.close(System.nanoTime());

        SubmitException s = failure(sent);
        assertThat(s.code()).isEqualTo(Code.CLOSED);
        assertThat(s.outcome()).isEqualTo(Outcome.UNKNOWN);
        SubmitException b = failure(buffered);
        assertThat(b.code()).isEqualTo(Code.CLOSED);
        assertThat(b.outcome()).isEqualTo(Outcome.NOT_SENT);
        assertThat(b).hasMessage("the producer closed before the gateway answered; it was never sent, so it is not enqueued");
        assertThat(failure(submit("after")).outcome()).isEqualTo(Outcome.NOT_SENT);
        assertThat(inFlight.wantsConnection()).isFalse();
    }

    @Test
    void closeReturnsAsSoonAsTheSenderHasSentEverythingAndTheGatewayAnswered() throws Exception {
        inFlight.connected(A);
        CompletableFuture<Long> f = submit("a");
        CompletableFuture<Void> closed = CompletableFuture.runAsync(
                () -> inFlight.close(System.nanoTime() + Duration.ofMinutes(1).toNanos()));
        assertThat(inFlight.awaitRoom()).isEqualTo(A);
        Batch b = send(A, 1);
        inFlight.answered(answer(b, id(42)));
        long giveUp = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (inFlight.awaitRoom() != null) { // until close() has begun: then nothing is left, and the sender ends
            assertThat(System.nanoTime()).as("close() never began").isLessThan(giveUp);
        }
        closed.get(10, TimeUnit.SECONDS);
        assertThat(f).isCompletedWithValue(42L);
    }

    @Test
    void aBatchInTheSendersHandWhenTheProducerStopsFailsAsNeverSent() {
        inFlight.connected(A);
        CompletableFuture<Long> f = submit("a");
        List<PendingJob> inHand = new ArrayList<>();
        inFlight.drainBuffered(inHand, 10);
        inFlight.close(System.nanoTime());
        assertThat(inFlight.admit(A, Batch.of(1, "ns", "s:1", inHand))).isFalse();
        assertThat(failure(f).outcome()).isEqualTo(Outcome.NOT_SENT);
    }

    @Test
    void aSubmitRacingCloseFailsAndNeverHangs() throws Exception {
        for (int round = 0; round < 200; round++) {
            InFlight<String> state = new InFlight<>(settings().build());
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<Long>> futures = new ArrayList<>();
            Thread submitter = Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 50; i++) {
                    CompletableFuture<Long> f = new CompletableFuture<>();
                    futures.add(f);
                    state.add(new PendingJob(SubmitJob.newBuilder().setKey("k").build(), f, start + TIMEOUT.toNanos()));
                }
            });
            go.countDown();
            state.close(System.nanoTime());
            submitter.join();
            for (CompletableFuture<Long> f : futures) {
                assertThat(f).as("round %d", round).isDone();
                assertThat(failure(f).code()).isEqualTo(Code.CLOSED);
                assertThat(failure(f).outcome()).isEqualTo(Outcome.NOT_SENT);
            }
        }
    }

    @Test
    void aRefusalFailsEveryJobNowAndLater() {
        inFlight.connected(A);
        CompletableFuture<Long> sent = submit("sent");
        send(A, 1);
        inFlight.disconnected(A);
        CompletableFuture<Long> buffered = submit("buffered");
        inFlight.refused(Code.REFUSED_CONNECTION, "the gateway refused the connection: UNAUTHENTICATED: wrong token");

        assertThat(failure(sent).code()).isEqualTo(Code.REFUSED_CONNECTION);
        assertThat(failure(sent).outcome()).as("sent on the earlier connection").isEqualTo(Outcome.UNKNOWN);
        assertThat(failure(buffered).outcome()).isEqualTo(Outcome.NOT_SENT);
        assertThat(failure(buffered)).hasMessageContaining("UNAUTHENTICATED");
        assertThat(failure(submit("later")).code()).isEqualTo(Code.REFUSED_CONNECTION);
        assertThat(inFlight.wantsConnection()).isFalse();
    }

    @Test
    void aFullBufferFailsTheSubmitAfterBufferTimeout() {
        inFlight = new InFlight<>(settings().maxBufferedJobs(1).bufferTimeout(Duration.ofMillis(10)).build());
        CompletableFuture<Long> first = submit("first");
        SubmitException e = failure(submit("second"));
        assertThat(e.code()).isEqualTo(Code.BUFFER_FULL);
        assertThat(e.outcome()).isEqualTo(Outcome.NOT_SENT);
        assertThat(first).isNotDone();
    }
}
