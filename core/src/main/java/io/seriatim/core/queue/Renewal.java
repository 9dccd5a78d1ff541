package io.seriatim.core.queue;

import io.seriatim.core.redis.RedisException;
import java.util.List;
import java.util.Map;

/**
 * What one renewal of many leases came to, lease by lease. On Redis Cluster the leases of one
 * master may fail while the others are renewed.
 *
 * @param renewed the leases Redis extended, with their new deadlines
 * @param stale   the leases Redis no longer grants: their keys must stop at once
 * @param failed  the leases whose master did not answer or failed the call, with that error:
 *                whether they were extended is not known, so each is still held until the
 *                deadline it had, and renewed again next time
 */
public record Renewal(List<Lease> renewed, List<Lease> stale, Map<Lease, RedisException> failed) {
    public Renewal {
        renewed = List.copyOf(renewed);
        stale = List.copyOf(stale);
        failed = Map.copyOf(failed);
    }
}
