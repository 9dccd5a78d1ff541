package io.seriatim.worker;

/** Thrown by a handler for a failure that retrying cannot fix: the failure policy applies at once. */
public class NonRetryableException extends RuntimeException {
    public NonRetryableException(String message) {
        super(message);
    }

    public NonRetryableException(String message, Throwable cause) {
        super(message, cause);
    }
}
