package io.seriatim.gateway;

import io.seriatim.proto.v1.Envelope;
import io.seriatim.proto.v1.Hello;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;

/** A hand-driven client socket for hostile-input tests: writes any bytes, reads envelopes. */
final class RawConnection implements AutoCloseable {
    final Socket socket;
    final OutputStream out;
    final DataInputStream in;

    RawConnection(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        out = socket.getOutputStream();
        in = new DataInputStream(socket.getInputStream());
    }

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    void send(Envelope e) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        e.writeDelimitedTo(b);
        write(b.toByteArray());
    }

    void hello(String token) throws IOException {
        Hello.Builder h = Hello.newBuilder().setProtocolVersion(1).setClientName("raw");
        if (token != null) {
            h.setAuthToken(token);
        }
        send(Envelope.newBuilder().setHello(h).build());
    }

    /** The next envelope, or null if the gateway closed the connection. */
    Envelope read() throws IOException {
        try {
            return Envelope.parseDelimitedFrom(in);
        } catch (EOFException e) {
            return null;
        }
    }

    /** Reads until the gateway closes; returns the last envelope seen (its error, usually). */
    Envelope readUntilClosed() throws IOException {
        Envelope last = null;
        try {
            for (Envelope e = read(); e != null; e = read()) {
                last = e;
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the gateway did not close the connection", e);
        } catch (IOException reset) {
            // connection reset after the error frame: closed
        }
        return last;
    }

    static boolean closedByPeer(InputStream in) throws IOException {
        return in.read() == -1;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
