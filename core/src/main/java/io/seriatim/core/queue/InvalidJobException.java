package io.seriatim.core.queue;

/** A submit that breaks a namespace limit (empty or long key, large payload, ...). Nothing was written. */
public class InvalidJobException extends IllegalArgumentException {
    public InvalidJobException(String message) {
        super(message);
    }
}
