package io.seriatim.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class RungPartitionsTest {
    private final RungPartitions rung = new RungPartitions();

    @Test
    void theClaimerTakesEveryPartitionMarkedOnceAndThenWaitsAgain() {
        rung.mark(3);
        rung.mark(1);
        rung.mark(3);
        assertThat(rung.take(1_000)).containsExactly(1, 3);
        long start = System.nanoTime();
        assertThat(rung.take(50)).isEmpty();
        assertThat(System.nanoTime() - start).as("waited its time").isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
    }

    @Test
    void aMarkWakesTheWaitingClaimer() throws Exception {
        CompletableFuture<int[]> taken = async(() -> rung.take(30_000));
        Thread.sleep(50);
        rung.mark(2);
        assertThat(taken.get(5, TimeUnit.SECONDS)).containsExactly(2);
    }

    @Test
    void aWatcherListensAgainOnlyOnceTheClaimerTookItsPartition() throws Exception {
        rung.mark(0);
        CompletableFuture<Boolean> listening = async(() -> rung.awaitTaken(0));
        assertThat(rung.awaitTaken(1)).as("another partition's watcher listens on").isTrue();
        Thread.sleep(50);
        assertThat(listening).isNotDone();
        rung.take(0);
        assertThat(listening.get(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void closeEndsTheClaimersWait() throws Exception {
        CompletableFuture<int[]> claimer = async(() -> rung.take(30_000));
        Thread.sleep(50);
        rung.close();
        assertThat(claimer.get(5, TimeUnit.SECONDS)).isEmpty();
    }

    @Test
    void closeStopsAWatcher() throws Exception {
        rung.mark(0);
        CompletableFuture<Boolean> watcher = async(() -> rung.awaitTaken(0));
        Thread.sleep(50);
        rung.close();
        assertThat(watcher.get(5, TimeUnit.SECONDS)).isFalse();
        assertThat(rung.awaitTaken(1)).as("nor does any watcher listen after close").isFalse();
    }

    private static <T> CompletableFuture<T> async(Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> result.complete(work.get()));
        return result;
    }
}
