package io.seriatim.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HistoryCheckerTest {
    private final HistoryChecker checker = new HistoryChecker();

    private static Submitted acked(String key, long seq) {
        return new Submitted(key, seq, key.hashCode() * 1000L + seq, true, -1);
    }

    private static Run timed(String key, long seq, long fence, long pid, long start, long end) {
        return new Run(key, seq, key.hashCode() * 1000L + seq, fence, 1, pid, start, end);
    }

    private static Run run(String key, long seq, long fence, long mono) {
        return new Run(key, seq, key.hashCode() * 1000L + seq, fence, 1, 1, mono);
    }

    @Test
    void cleanHistoryPasses() {
        Verdict v = checker.check(List.of(acked("a", 1), acked("a", 2), acked("b", 1)),
                List.of(run("a", 1, 1, 10), run("b", 1, 2, 11), run("a", 2, 1, 12)));
        assertThat(v.ok()).isTrue();
        assertThat(v.duplicateRuns()).isZero();
    }

    @Test
    void reRunAfterTakeoverIsADuplicateNotAViolation() {
        Verdict v = checker.check(List.of(acked("a", 1), acked("a", 2), acked("a", 3)),
                List.of(run("a", 1, 1, 10), run("a", 2, 1, 11), run("a", 2, 2, 20), run("a", 3, 2, 21)));
        assertThat(v.ok()).isTrue();
        assertThat(v.duplicateRuns()).isEqualTo(1);
        assertThat(v.maxRunsOfAJob()).isEqualTo(2);
    }

    @Test
    void acknowledgedJobThatNeverRanIsLost() {
        Verdict v = checker.check(List.of(acked("a", 1), acked("a", 2)), List.of(run("a", 1, 1, 10)));
        assertThat(v.lost()).isEqualTo(1);
        assertThat(v.ok()).isFalse();
    }

    @Test
    void jobStartingBeforeAnEarlierOneIsAnOrderViolation() {
        Verdict v = checker.check(List.of(acked("a", 1), acked("a", 2)),
                List.of(run("a", 2, 1, 10), run("a", 1, 1, 11)));
        assertThat(v.orderViolations()).isEqualTo(1);
    }

    @Test
    void gapForAnUnacknowledgedSubmitIsNoViolation() {
        Submitted unknown = new Submitted("a", 2, -1, false, -1);
        Verdict v = checker.check(List.of(acked("a", 1), unknown, acked("a", 3)),
                List.of(run("a", 1, 1, 10), run("a", 3, 1, 11)));
        assertThat(v.ok()).isTrue();
    }

    @Test
    void runUnderAnOlderFenceAfterANewerOneIsStale() {
        Verdict v = checker.check(List.of(acked("a", 1), acked("a", 2)),
                List.of(run("a", 1, 2, 10), run("a", 2, 1, 11)));
        assertThat(v.staleRuns()).isEqualTo(1);
    }

    @Test
    void runOfAJobNeverSubmittedIsUnexpected() {
        Verdict v = checker.check(List.of(acked("a", 1)), List.of(run("a", 1, 1, 10), run("a", 9, 1, 11)));
        assertThat(v.unexpected()).isEqualTo(1);
    }

    @Test
    void unknownSubmitThatRanIsNeitherUnexpectedNorLostAndKeepsItsPlaceInOrder() {
        Submitted unknown = new Submitted("a", 2, -1, false, -1);
        Verdict ranInOrder = checker.check(List.of(acked("a", 1), unknown, acked("a", 3)),
                List.of(run("a", 1, 1, 10), run("a", 2, 1, 11), run("a", 3, 1, 12)));
        assertThat(ranInOrder.ok()).isTrue();
        assertThat(ranInOrder.unknownRan()).isEqualTo(1);
        Verdict ranLate = checker.check(List.of(acked("a", 1), unknown, acked("a", 3)),
                List.of(run("a", 1, 1, 10), run("a", 3, 1, 11), run("a", 2, 1, 12)));
        assertThat(ranLate.orderViolations()).isEqualTo(1);
    }

    @Test
    void runsOfOneKeyUnderTwoLeasesAtOnceAreKeyOverlaps() {
        // fence 25 runs seq 1 from 10 to 50; fence 26 starts seq 1 again at 20 (an act ended 25's lease).
        Verdict v = checker.check(List.of(acked("a", 1), acked("a", 2)),
                List.of(timed("a", 1, 25, 1, 10, 50), timed("a", 1, 26, 2, 20, 30), timed("a", 2, 26, 2, 60, 70)));
        assertThat(v.keyOverlaps()).isEqualTo(1);
        Verdict apart = checker.check(List.of(acked("a", 1), acked("a", 2)),
                List.of(timed("a", 1, 25, 1, 10, 50), timed("a", 1, 26, 2, 51, 55), timed("a", 2, 27, 2, 60, 70)));
        assertThat(apart.keyOverlaps()).isZero();
    }

    @Test
    void aLostJobIsLossNotAnOrderViolationOfTheJobsAfterIt() {
        Verdict v = checker.check(List.of(acked("a", 1), acked("a", 2), acked("a", 3)),
                List.of(run("a", 1, 1, 10), run("a", 3, 1, 11)));
        assertThat(v.lost()).isEqualTo(1);
        assertThat(v.orderViolations()).isZero();
        assertThat(v.orderHeld()).isTrue();
    }

    @Test
    void jobsOfAKeyExpectedHeldAreHeldBackNotLost() {
        HistoryChecker heldFromSeq2 = new HistoryChecker(Map.of("poison", 2L));
        Verdict v = heldFromSeq2.check(List.of(acked("poison", 1), acked("poison", 2), acked("a", 1)),
                List.of(run("poison", 1, 1, 10), run("a", 1, 1, 11)));
        assertThat(v.lost()).isZero();
        assertThat(v.heldBack()).isEqualTo(1);
        assertThat(v.ok()).isTrue();
        Verdict beforeThePoison = heldFromSeq2.check(List.of(acked("poison", 1), acked("poison", 2)), List.of());
        assertThat(beforeThePoison.lost()).as("job 1 comes before the poison job: it must run").isEqualTo(1);
    }

    @Test
    void aJobThatRunsUnderAnotherIdThanItsAcknowledgedOneWasEnqueuedTwice() {
        Verdict v = checker.check(List.of(acked("a", 1)),
                List.of(run("a", 1, 1, 10), new Run("a", 1, 999_999, 1, 1, 1, 11)));
        assertThat(v.unexpected()).isEqualTo(1);
        assertThat(v.examples()).anyMatch(e -> e.startsWith("re-enqueued"));
    }

    @Test
    void twoJobsOfOneLeaseRunningAtOnceAreAnOrderViolation() {
        Verdict v = checker.check(List.of(acked("a", 1), acked("a", 2)),
                List.of(timed("a", 1, 7, 1, 10, 30), timed("a", 2, 7, 1, 20, 40)));
        assertThat(v.orderViolations()).isEqualTo(1);
        assertThat(v.unexpected()).isZero();
        assertThat(v.examples()).anyMatch(e -> e.startsWith("overlap"));
        Verdict newerLease = checker.check(List.of(acked("a", 1), acked("a", 2)),
                List.of(timed("a", 1, 7, 1, 10, 30), timed("a", 2, 8, 2, 20, 40)));
        assertThat(newerLease.orderViolations()).as("a takeover while the stale holder still runs is fenced").isZero();
    }
}
