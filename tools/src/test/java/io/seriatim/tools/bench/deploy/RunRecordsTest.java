package io.seriatim.tools.bench.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The deployment bench's verdict on a run, from hand-made handler records of two keys × 3 jobs. */
class RunRecordsTest {
    private static final RunPlan PLAN = new RunPlan(10, 2, 6, Duration.ZERO, 0, 16);

    /** Runs as (key, seq) pairs, started 1 µs apart in the order given, each submitted 5 µs before its start. */
    private static Runs runs(int... keySeq) {
        int n = keySeq.length / 2;
        Runs r = new Runs(new int[n], new int[n], new long[n], new long[n]);
        for (int i = 0; i < n; i++) {
            r.keys()[i] = keySeq[2 * i];
            r.seqs()[i] = keySeq[2 * i + 1];
            r.starts()[i] = 1_000_000 + i * 1000L;
            r.submits()[i] = r.starts()[i] - 5000;
        }
        return r;
    }

    private static RunRecords check(Runs runs) {
        return RunRecords.check(runs, PLAN, 6, 0, 0, Long.MAX_VALUE);
    }

    @Test
    void everyKeysRunsInSeqOrderAreCorrectHoweverTheKeysInterleave() {
        RunRecords r = check(runs(10, 1, 11, 1, 11, 2, 10, 2, 10, 3, 11, 3));
        assertThat(r.correct()).as(r.verdict()).isTrue();
        assertThat(r.verdict()).isEqualTo("6/6 jobs, all 2 keys in order");
        assertThat(r.latency().getValueAtPercentile(50)).isEqualTo(5);
    }

    @Test
    void aJobThatNeverRanIsLost() {
        RunRecords r = check(runs(10, 1, 10, 3, 11, 1, 11, 2, 11, 3));
        assertThat(r.correct()).isFalse();
        assertThat(r.lost()).isEqualTo(1);
        assertThat(r.wrongKeys()).isEqualTo(1);
    }

    @Test
    void aJobRunTwiceIsADuplicateEvenWithNothingLost() {
        RunRecords r = check(runs(10, 1, 10, 2, 10, 2, 10, 3, 11, 1, 11, 2, 11, 3));
        assertThat(r.correct()).isFalse();
        assertThat(r.duplicates()).isEqualTo(1);
        assertThat(r.lost()).isZero();
    }

    @Test
    void aLaterSeqStartedFirstIsAnInversion() {
        RunRecords r = check(runs(10, 2, 10, 1, 10, 3, 11, 1, 11, 2, 11, 3));
        assertThat(r.correct()).isFalse();
        assertThat(r.inversions()).isEqualTo(1);
        assertThat(r.verdict()).contains("1 keys wrong", "1 inversions");
    }

    @Test
    void runsOfKeysNoRunSubmittedToAreStrays() {
        Runs all = runs(10, 1, 10, 2, 10, 3, 11, 1, 11, 2, 11, 3, 99, 1);
        assertThat(check(all).correct()).as("the run's own keys").isTrue();
        assertThat(RunRecords.strays(all, List.of(PLAN, PLAN.onNextKeys()))).isEqualTo(1);
    }

    @Test
    void aPlanTravelsToTheClientAndBackUnchanged() {
        RunPlan paced = new RunPlan(2_000_000, 1000, 300_000, Duration.ofMillis(1500), 10_000, 100);
        assertThat(RunPlan.parse(paced.toLine())).isEqualTo(paced);
        ClientReport report = new ClientReport(5, 1, 10, 20, 30, 40);
        assertThat(ClientReport.parse(report.toLine())).isEqualTo(report);
    }
}
