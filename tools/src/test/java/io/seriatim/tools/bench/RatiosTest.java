package io.seriatim.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The ratio lines are read back from the table's rows: thousands' commas, several figures, failed rows. */
class RatiosTest {
    @Test
    void dividesSeriatimsFigureByTheOtherSystemsOfTheSameShape() {
        List<String> ratios = Ratios.of(List.of(
                "| drain | jobs/s 385,287, script calls/job 0.020 | 3 | yes | 0 order violations, 200000/200000 runs |",
                "| kafka+pc drain | fresh jobs/s 90,000, jobs/s 154,115 | 3 | yes | 400000/400000 runs, 0 lost (kafka) |",
                "| latency@10000/s | jobs/s 9,998, p50 ms 1.170, p99 ms 3.040, p99.9 ms 6.700 | 3 | yes | ok |",
                "| kafka+pc paced@10000/s | jobs/s 9,990, p50 ms 4.680, p99 ms 12.160, p99.9 ms 20.100 | 3 | yes | ok |"));
        assertThat(ratios).containsExactly(
                "| drain ÷ kafka+pc drain | jobs/s | 2.50× |",
                "| latency@10000/s ÷ kafka+pc paced@10000/s | p50 ms (lower is better) | 0.25× |",
                "| latency@10000/s ÷ kafka+pc paced@10000/s | p99 ms (lower is better) | 0.25× |",
                "| latency@10000/s ÷ kafka+pc paced@10000/s | p99.9 ms (lower is better) | 0.33× |");
    }

    @Test
    void aRowThatWasNotCorrectGivesNoRatio() {
        assertThat(Ratios.of(List.of(
                "| drain | jobs/s 385,287 | 3 | yes | ok |",
                "| kafka+pc drain | | | **NO** | run.sh exited 2 without a result |"))).isEmpty();
    }
}
