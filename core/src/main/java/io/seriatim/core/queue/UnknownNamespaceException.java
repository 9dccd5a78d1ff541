package io.seriatim.core.queue;

/** The namespace was never registered in this Redis. */
public class UnknownNamespaceException extends IllegalArgumentException {
    public UnknownNamespaceException(String namespace) {
        super("unknown namespace '" + namespace + "'");
    }
}
