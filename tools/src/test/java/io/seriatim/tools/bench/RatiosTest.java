package io.seriatim.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The ratio lines are read back from the tables' rows: the deployment table's and the lab-style
 * one's, thousands' commas, several figures, Kafka's fresh and warm passes, failed rows.
 */
class RatiosTest {
    @Test
    void dividesTheDeploymentRowsByKafkasOfTheSameShapeAndPhase() {
        List<String> ratios = Ratios.of(List.of(
                "| dense: submit and drain at once | fresh | **100,000** | p50 1.20 / p99 4.5 / p99.9 12.0 ms | client 1.0 | "
                        + "0.100 script calls | yes: 200000 runs | 3 (1, 2, 3 jobs/s) | params |",
                "| dense: submit and drain at once | warm | **300,000** |  | | | yes: ok | 3 | params |",
                "| paced 10k/s | warm | **10,000** | first 5 s: p50 2.00 / p99 40.0 / p99.9 120 ms; after: p50 1.00 / p99 3.00 / "
                        + "p99.9 9.00 ms; client lag ≤ 1.0 ms | | | yes: ok | 3 | params |",
                "| kafka+pc dense | fresh jobs/s 50,000, jobs/s 150,000 | 3 | yes | 400000/400000 runs (kafka) |",
                "| kafka+pc drain | fresh jobs/s 80,000, jobs/s 160,000 | 3 | yes | ok |",
                "| kafka+pc paced@10000/s | fresh jobs/s 9,990, fresh p50 ms 5.000, fresh p99 ms 30.000, jobs/s 9,990, "
                        + "p50 ms 4.000, p99 ms 12.000, head p99 ms 20.000 | 3 | yes | ok |"));
        assertThat(ratios).containsExactly(
                "| dense: submit and drain at once (fresh) ÷ kafka+pc dense (fresh) | jobs/s | 2.00× |",
                "| dense: submit and drain at once (warm) ÷ kafka+pc dense (warm) | jobs/s | 2.00× |",
                "| paced 10k/s (warm) ÷ kafka+pc paced@10000/s (warm) | p50 ms (lower is better) | 0.25× |",
                "| paced 10k/s (warm) ÷ kafka+pc paced@10000/s (warm) | p99 ms (lower is better) | 0.25× |",
                "| paced 10k/s (warm) ÷ kafka+pc paced@10000/s (warm) | head p99 ms (lower is better) | 2.00× |",
                "| dense: submit and drain at once (fresh) ÷ kafka+pc drain (warm) | jobs/s | 0.63× |");
    }

    @Test
    void dividesTheLabRowsByTheOtherSystemsOfTheSameShape() {
        List<String> ratios = Ratios.of(List.of(
                "| drain | jobs/s 385,287, script calls/job 0.020 | 3 | yes | 0 order violations, 200000/200000 runs |",
                "| bullmq drain | jobs/s 17,084 | 3 | yes | ok (bullmq 6.7.0) |",
                "| kafka+pc drain | fresh jobs/s 90,000, jobs/s 154,115 | 3 | yes | 400000/400000 runs, 0 lost (kafka) |"));
        assertThat(ratios).containsExactly(
                "| drain ÷ bullmq drain | jobs/s | 22.55× |",
                "| drain ÷ kafka+pc drain (warm) | jobs/s | 2.50× |");
    }

    @Test
    void aRowThatWasNotCorrectGivesNoRatio() {
        assertThat(Ratios.of(List.of(
                "| drain | jobs/s 385,287 | 3 | yes | ok |",
                "| kafka+pc drain | | | **NO** | run.sh exited 2 without a result |",
                "| dense: submit and drain at once | fresh | **100,000** | | | | **NO**: 3 lost | 3 | params |",
                "| kafka+pc dense | fresh jobs/s 50,000, jobs/s 150,000 | 3 | yes | ok |"))).isEmpty();
    }
}
