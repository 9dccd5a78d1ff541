package io.seriatim.cli;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Checks of the command's own flags, each failing with an {@link IllegalArgumentException} whose
 * message names the flag, which {@link Errors} prints as a usage error.
 */
final class Flags {
    private Flags() {}

    static int atLeast(String flag, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(flag + " must be at least " + min + ", got " + value);
        }
        return value;
    }

    static long atLeast(String flag, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(flag + " must be at least " + min + ", got " + value);
        }
        return value;
    }

    /**
     * Fails unless {@code host:port} can be listened on right now (port 0: any free port). A
     * long-running command calls this before it waits for Redis, so that a port in use is
     * reported at once instead of after Redis comes back.
     */
    static void listenable(String portFlag, String host, int port) {
        InetSocketAddress address = port(portFlag, host, port);
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(address);
        } catch (IOException e) {
            throw cannotListen(portFlag, host, port, e);
        }
    }

    /** Fails unless {@code port} is a port number and {@code host} resolves; returns the address. */
    static InetSocketAddress port(String portFlag, String host, int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException(portFlag + " must be in [0, 65535], got " + port);
        }
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("cannot listen on " + host + ":" + port + ": unknown host " + host);
        }
        return address;
    }

    /** The one line for a failed bind of {@code host:port}, naming the flag. */
    static IllegalArgumentException cannotListen(String portFlag, String host, int port, Throwable e) {
        String message = e == null ? "unknown reason" : e.getMessage();
        if (e instanceof BindException) {
            boolean inUse = message != null && message.contains("in use");
            return new IllegalArgumentException("cannot listen on " + host + ":" + port + " (" + message + "): "
                    + (inUse ? "stop what listens there or choose another " + portFlag : "is " + host + " an address of this machine?"));
        }
        return new IllegalArgumentException("cannot listen on " + host + ":" + port + ": " + message);
    }
}
