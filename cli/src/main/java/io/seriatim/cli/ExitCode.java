package io.seriatim.cli;

/** Exit codes that scripts can rely on. */
public final class ExitCode {
    /** Done as asked. */
    public static final int OK = 0;
    /** The command ran but the answer is "no" (key not found, not parked, a verdict failed). */
    public static final int FAILED = 1;
    /** Bad flags, settings or arguments. */
    public static final int USAGE = 2;
    /** Redis could not be reached. */
    public static final int REDIS_UNAVAILABLE = 3;

    private ExitCode() {}
}
