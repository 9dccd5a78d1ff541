package io.seriatim.worker;

/** What a running job can ask of the worker. Only valid during {@link JobHandler#handle}. */
public interface JobContext {
    /**
     * Milliseconds until this job should be done: the per-job timeout if one is set, else the
     * worker's own view of its lease. Long-running handlers should check it between steps.
     */
    long remainingMillis();

    /** False once the worker has reason to believe it no longer holds the key's lease. */
    boolean leaseValid();

    /** Logs a line tagged with the job's key, id and fence. */
    void log(String message);
}
