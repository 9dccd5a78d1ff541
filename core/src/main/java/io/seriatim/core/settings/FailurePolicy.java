package io.seriatim.core.settings;

/** What happens to a key whose head job has used up its attempts. */
public enum FailurePolicy {
    /** Move the job to the dead-letter stream and go on with the key's next job. */
    SKIP,
    /**
     * Hold the key, with all its jobs, until an operator unparks it: the "run the next step only
     * if the previous one succeeded" workflow.
     */
    PARK
}
