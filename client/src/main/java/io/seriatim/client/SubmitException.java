package io.seriatim.client;

/**
 * A submit that did not make it, or a producer that could not connect. {@link #code()} says what
 * happened; {@link #outcome()} says whether the job can be in Redis anyway, which is what decides a
 * retry:
 *
 * <pre>{@code
 * producer.submit(key, payload).exceptionally(e -> {
 *     if (e.getCause() instanceof SubmitException s && s.outcome() == SubmitException.Outcome.NOT_SENT) {
 *         // never left this producer: submitting it again cannot enqueue it twice
 *     }
 *     ...
 * });
 * }</pre>
 */
public class SubmitException extends RuntimeException {
    /** What happened. */
    public enum Code {
        /** The gateway refused the job: it breaks a limit of its namespace (final). */
        INVALID,
        /** The gateway does not know the namespace (final). */
        UNKNOWN_NAMESPACE,
        /** No answer within {@code requestTimeout}. */
        TIMED_OUT,
        /** {@link Producer#close()} came first. */
        CLOSED,
        /** The gateway refused this producer for good: wrong token, unsupported protocol version. */
        REFUSED_CONNECTION,
        /** The buffer stayed full for {@code bufferTimeout}. */
        BUFFER_FULL,
        /** {@link Producer#connect} could not reach the gateway: refused, unknown host, or timed out. */
        UNREACHABLE,
        /** The gateway sent what the producer cannot read (a frame over {@code maxAnswerBytes}, bad bytes, a
         *  missing result): the connection was closed. */
        BAD_ANSWER
    }

    /** Whether the job can be in Redis despite the failure. */
    public enum Outcome {
        /** It never left this producer, so it is not in Redis: safe to submit again. */
        NOT_SENT,
        /** The gateway answered that it did not enqueue it. */
        NOT_ENQUEUED,
        /** It was sent and not answered: it may be in Redis. Resubmit with the same {@code dedupId} to have it once. */
        UNKNOWN
    }

    private final Code code;
    private final Outcome outcome;

    /** A failure of one kind with what it means for the job; {@code message} says what happened. */
    public SubmitException(Code code, Outcome outcome, String message) {
        super(message);
        this.code = code;
        this.outcome = outcome;
    }

    /** A failure of jobs that never left the producer; the message says so. */
    static SubmitException notSent(Code code, String what) {
        return new SubmitException(code, Outcome.NOT_SENT, what + "; it was never sent, so it is not enqueued");
    }

    /** A failure of jobs that were sent without an answer; the message says so. */
    static SubmitException unknown(Code code, String what) {
        return new SubmitException(code, Outcome.UNKNOWN, what + "; it was sent, so it may have been enqueued");
    }

    /** A failure of jobs sent either way: {@code sent} says which. */
    static SubmitException of(Code code, String what, boolean sent) {
        return sent ? unknown(code, what) : notSent(code, what);
    }

    public Code code() {
        return code;
    }

    public Outcome outcome() {
        return outcome;
    }
}
