package io.seriatim.client;

/**
 * A submit that did not make it: refused by the gateway (bad input, unknown namespace), timed
 * out, or cut off by close(). {@link #code()} says which; a timed-out submit may still have been
 * enqueued.
 */
public class SubmitException extends RuntimeException {
    /** Why a submit failed. */
    public enum Code { INVALID, UNKNOWN_NAMESPACE, TIMED_OUT, CLOSED, REFUSED_CONNECTION, BUFFER_FULL }

    private final Code code;

    public SubmitException(Code code, String message) {
        super(message);
        this.code = code;
    }

    public Code code() {
        return code;
    }
}
