package io.seriatim.core.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.seriatim.core.script.ScriptStatus;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fencing: any ack / renew / fail / release from a holder whose fence is stale, or from another
 * worker with the same fence, is refused and changes nothing at all in Redis.
 */
class FencingTest extends QueueTestSupport {
    private long head;

    /** The calls a lease holder makes; each answers whether Redis refused it. */
    enum HolderCall {
        ACK {
            @Override
            boolean refused(CheckedQueue q, Lease lease, long head) {
                return q.ack(lease, List.of(head), LONG_LEASE, 1, 0).status() == ScriptStatus.STALE;
            }
        },
        RENEW {
            @Override
            boolean refused(CheckedQueue q, Lease lease, long head) {
                return q.renew(List.of(lease), LONG_LEASE).isEmpty();
            }
        },
        FAIL {
            @Override
            boolean refused(CheckedQueue q, Lease lease, long head) {
                return q.fail(lease, head, "stale", true, Duration.ZERO).status() == ScriptStatus.STALE;
            }
        },
        RELEASE {
            @Override
            boolean refused(CheckedQueue q, Lease lease, long head) {
                return !q.release(lease);
            }
        };

        abstract boolean refused(CheckedQueue q, Lease lease, long head);
    }

    /** How a lease held by worker "w" on key "a" turns into one that must not act. */
    enum Impostor {
        OLDER_FENCE, NEWER_FENCE, OTHER_WORKER_SAME_FENCE, AFTER_RELEASE, AFTER_EXPIRY_AND_SWEEP,
        AFTER_PARK_TOOK_EFFECT,
        AFTER_ANOTHER_WORKER_CLAIMED, AFTER_ACK_OF_THE_LAST_JOB
    }

    static Stream<Arguments> everyCallFromEveryImpostor() {
        return Stream.of(HolderCall.values())
                .flatMap(call -> Stream.of(Impostor.values()).map(impostor -> Arguments.of(call, impostor)));
    }

    @BeforeEach
    void setUp() {
        open();
    }

    @ParameterizedTest(name = "{0} from {1}")
    @MethodSource("everyCallFromEveryImpostor")
    void staleOrForeignHolderIsRefusedAndChangesNothing(HolderCall call, Impostor impostor) {
        Lease lease = impostor(impostor);
        assertChangesNothing(() -> assertThat(call.refused(queue, lease, head)).as("refused").isTrue());
    }

    private Lease impostor(Impostor impostor) {
        long[] ids = enqueue("a", impostor == Impostor.AFTER_ACK_OF_THE_LAST_JOB ? 1 : 2);
        head = ids[0];
        Duration leaseTime = impostor == Impostor.AFTER_EXPIRY_AND_SWEEP ? Duration.ZERO : LONG_LEASE;
        Lease held = claimOne(0, "w", 2, leaseTime).lease();
        return switch (impostor) {
            case OLDER_FENCE -> new Lease("a", 0, held.fence() - 1, "w", held.deadlineMs());
            case NEWER_FENCE -> new Lease("a", 0, held.fence() + 1, "w", held.deadlineMs());
            case OTHER_WORKER_SAME_FENCE -> new Lease("a", 0, held.fence(), "w2", held.deadlineMs());
            case AFTER_RELEASE -> {
                queue.release(held);
                yield held;
            }
            case AFTER_EXPIRY_AND_SWEEP -> {
                assertThat(queue.sweep(0, 10).swept()).isEqualTo(1);
                yield held;
            }
            case AFTER_PARK_TOOK_EFFECT -> {
                // The park waits for the holder, whose next ack ends the lease: from then on it is stale.
                assertThat(queue.park("a", "hold")).isEqualTo(ScriptStatus.DEFERRED);
                assertThat(queue.ack(held, List.of(head), LONG_LEASE, 1, 1).status()).isEqualTo(ScriptStatus.HANDED_OVER);
                yield held;
            }
            case AFTER_ANOTHER_WORKER_CLAIMED -> {
                queue.release(held);
                claimOne("w2", 1);
                yield held;
            }
            case AFTER_ACK_OF_THE_LAST_JOB -> {
                queue.ack(held, List.of(head), LONG_LEASE, 1, 0);
                enqueue("a", 1); // the key has jobs again, under no lease
                yield held;
            }
        };
    }
}
