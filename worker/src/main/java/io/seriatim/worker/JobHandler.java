package io.seriatim.worker;

/**
 * Your code: runs one job. Jobs of one key reach it one at a time, in submission order; jobs of
 * different keys run concurrently, each on its own virtual thread, so blocking I/O is fine.
 *
 * <p>Return normally to acknowledge the job. Throw to fail it: it is retried after the worker's
 * backoff (and no later job of its key runs meanwhile) until the namespace's attempt limit, then
 * the namespace's failure policy applies (dead-letter and go on, or park the key). Throw
 * {@link NonRetryableException} to skip the remaining attempts.
 *
 * <pre>{@code
 * JobHandler handler = (job, context) -> {
 *     Comment c = Comment.parse(job.payload());
 *     database.insert(c, job.fence());   // the fence lets the database refuse a stale writer
 * };
 * }</pre>
 *
 * A job may run more than once (after a worker crash or a lost lease): make handlers idempotent,
 * or fence their writes with {@link WorkerJob#fence()}.
 */
@FunctionalInterface
public interface JobHandler {
    void handle(WorkerJob job, JobContext context) throws Exception;
}
