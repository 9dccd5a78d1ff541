package io.seriatim.worker.internal;

/**
 * What the claimer waits on when no key is due: the partitions' doorbells, which the scripts ring
 * when a key becomes ready. {@link BlockingDoorbell} serves a standalone or Sentinel-managed Redis
 * (one BLPOP over every bell), {@link BellWatchers} a Cluster (one watcher per partition, since
 * one BLPOP cannot span slots).
 */
interface Doorbell extends AutoCloseable {
    /** Starts what the doorbell runs of its own (threads); before the claimer's first wait. */
    void start();

    /**
     * Waits at most {@code ms} for a bell to ring. Returns the partitions that rang, or none when
     * the time ran out or the doorbell was closed. Called by the claimer thread only.
     */
    int[] await(long ms);

    /** Cuts a wait short and frees the doorbell's connections and threads; idempotent, from any thread. */
    @Override
    void close();
}
