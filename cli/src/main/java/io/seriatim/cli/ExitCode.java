package io.seriatim.cli;

/** Exit codes that scripts can rely on. */
public final class ExitCode {
    /** Done as asked. */
    public static final int OK = 0;
    /** The command ran but the answer is "no" (key not found, not parked, a verdict failed). */
    public static final int FAILED = 1;
    /** Bad flags, settings or arguments. */
    public static final int USAGE = 2;
    /** Redis could not be reached, or cannot answer yet (loading, failing over); for a producer, the gateway could not be reached. */
    public static final int REDIS_UNAVAILABLE = 3;
    /**
     * A bug in seriatim: an error no setting explains, printed with its stack trace. Apart from 1
     * so that a script never reads a crash as a "no" (70 is EX_SOFTWARE of sysexits.h).
     */
    public static final int BUG = 70;

    private ExitCode() {}
}
