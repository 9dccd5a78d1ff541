package io.seriatim.core.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.seriatim.core.settings.NamespaceSettings;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RenewScriptTest extends QueueTestSupport {
    @BeforeEach
    void setUp() {
        open();
    }

    @Test
    void renewExtendsHeldLeases() {
        enqueue("a", 1);
        enqueue("b", 1);
        Lease a = claimOne("w", 1).lease();
        Lease b = claimOne("w", 1).lease();
        List<Lease> held = queue.renew(List.of(a, b), Duration.ofHours(1));
        assertThat(held).extracting(Lease::key).containsExactly("a", "b");
        assertThat(held.getFirst().deadlineMs()).isGreaterThan(a.deadlineMs());
        assertThat(state().leases()).containsEntry("a", (double) held.getFirst().deadlineMs())
                .containsEntry("b", (double) held.get(1).deadlineMs());
    }

    @Test
    void renewReportsStaleKeys() {
        enqueue("a", 1);
        enqueue("b", 1);
        Lease a = claimOne("w", 1).lease();
        Lease b = claimOne("w", 1).lease();
        Lease staleB = new Lease("b", 0, b.fence() - 1, "w", b.deadlineMs());
        List<Lease> held = queue.renew(List.of(a, staleB), Duration.ofHours(1));
        assertThat(held).extracting(Lease::key).containsExactly("a");
        assertThat(state().leases().get("b")).as("the stale one moved nothing").isEqualTo((double) b.deadlineMs());
    }

    @Test
    void renewNeverCreatesALease() {
        enqueue("a", 1);
        assertChangesNothing(() -> assertThat(queue.renew(List.of(new Lease("a", 0, 1, "w", 0)), LONG_LEASE)).isEmpty());
    }

    @Test
    void renewOfAnExpiredLeaseNotYetSweptStillHolds() {
        enqueue("a", 1);
        Lease lease = claimExpired("w").lease();
        assertThat(queue.renew(List.of(lease), LONG_LEASE)).hasSize(1);
        assertThat(queue.sweep(0, 10).swept()).as("renewed in time: nothing to sweep").isZero();
    }

    /** "Aa" and "BB" have the same String.hashCode(): leases are grouped by partition and worker, not by hash. */
    @Test
    void renewKeepsEachWorkersLeasesApart() {
        enqueue("a", 1);
        enqueue("b", 1);
        Lease a = claimOne("Aa", 1).lease();
        Lease b = claimOne("BB", 1).lease();
        assertThat(queue.renew(List.of(a, b), Duration.ofHours(1))).extracting(Lease::key).containsExactly("a", "b");
    }

    @Test
    void renewCoversManyPartitionsAndWorkersInOneCall() {
        open(NamespaceSettings.builder("many").partitions(4));
        List<String> keys = List.of("a", "b", "c", "d", "e", "f", "g", "h");
        keys.forEach(k -> enqueue(k, 1));
        List<Lease> leases = new java.util.ArrayList<>();
        for (int p = 0; p < 4; p++) {
            for (ClaimedKey k : queue.claim(p, "w" + (p % 2), 100, LONG_LEASE, 1).keys()) {
                leases.add(k.lease());
            }
        }
        assertThat(leases).hasSize(keys.size());
        assertThat(queue.renew(leases, Duration.ofHours(1))).extracting(Lease::key)
                .containsExactlyInAnyOrderElementsOf(keys);
    }
}
