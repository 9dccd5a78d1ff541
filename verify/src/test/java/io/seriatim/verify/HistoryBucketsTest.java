package io.seriatim.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The soak's split check gives the figures of one check over the whole history. */
class HistoryBucketsTest {
    @TempDir Path dir;

    @Test
    void bucketsAddUpToTheWholeCheck() throws IOException {
        long seed = new Random().nextLong();
        System.out.println("HistoryBucketsTest seed " + seed);
        Random random = new Random(seed);
        List<String> produced = new ArrayList<>();
        List<String> consumed1 = new ArrayList<>();
        List<String> consumed2 = new ArrayList<>();
        long mono = 1_000;
        for (int k = 0; k < 40; k++) {
            String key = "key-" + k;
            long fence = 1;
            for (int seq = 1; seq <= 30; seq++) {
                boolean acked = random.nextInt(20) > 0;
                produced.add(acked ? "{\"type\":\"ack\",\"key\":\"" + key + "\",\"seq\":" + seq + ",\"jobId\":" + (k * 100 + seq)
                        + ",\"mono\":" + mono : "{\"type\":\"unknown\",\"key\":\"" + key + "\",\"seq\":" + seq
                        + ",\"error\":\"x\",\"mono\":" + mono);
                produced.set(produced.size() - 1, produced.get(produced.size() - 1) + "}");
                int flaw = random.nextInt(40);
                if (flaw == 0) {
                    continue; // never runs: lost when acknowledged
                }
                if (flaw == 1) {
                    fence++; // a takeover: later runs under a new lease
                }
                long runFence = flaw == 2 ? fence - 1 : fence; // 2: a stale run
                int runs = flaw == 3 ? 2 : 1; // 3: a duplicate
                for (int r = 0; r < runs; r++) {
                    List<String> file = random.nextBoolean() ? consumed1 : consumed2;
                    long pid = file == consumed1 ? 1 : 2;
                    long start = flaw == 4 ? mono - 500 : mono; // 4: out of order
                    file.add("{\"type\":\"run\",\"key\":\"" + key + "\",\"seq\":" + seq + ",\"pid\":" + pid + ",\"mono\":"
                            + start + ",\"jobId\":" + (k * 100 + seq) + ",\"fence\":" + runFence + ",\"attempt\":1}");
                    file.add("{\"type\":\"end\",\"key\":\"" + key + "\",\"seq\":" + seq + ",\"pid\":" + pid + ",\"mono\":"
                            + (start + 5) + ",\"fence\":" + runFence + "}");
                    mono += 10;
                }
            }
        }
        Path p = Files.write(dir.resolve("produced.jsonl"), produced);
        Path c1 = Files.write(dir.resolve("consumed-1.jsonl"), consumed1);
        Path c2 = Files.write(dir.resolve("consumed-2.jsonl"), consumed2);
        List<FaultEvent> faults = List.of(new FaultEvent("kill", FaultEvent.Target.WORKER, 1, mono / 3, mono / 3),
                new FaultEvent("redis", FaultEvent.Target.REDIS, -1, mono / 2, mono / 2));

        List<Submitted> submitted = HistoryFiles.submitted(List.of(p));
        List<Run> runs = HistoryFiles.runs(List.of(c1, c2));
        Verdict whole = new HistoryChecker().check(submitted, runs);
        HistoryBuckets.Result split = HistoryBuckets.check(List.of(p), List.of(c1, c2), faults, dir.resolve("work"), 7);

        assertThat(whole.lost() + whole.orderViolations() + whole.staleRuns() + whole.duplicateRuns()).isPositive();
        assertThat(split.verdict()).usingRecursiveComparison().ignoringFields("examples").isEqualTo(whole);
        assertThat(split.recoveries()).isEqualTo(RecoveryTimes.perFault(faults, submitted, runs));
        try (var left = Files.list(dir.resolve("work"))) {
            assertThat(left).isEmpty();
        }
    }
}
