package io.seriatim.client;

import io.seriatim.proto.v1.Envelope;
import io.seriatim.proto.v1.HelloOk;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** A gateway driven by hand over plain sockets: it answers Hello, then does what the test says. */
final class FakeGateway implements AutoCloseable {
    private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());

    FakeGateway() throws IOException {
    }

    int port() {
        return server.getLocalPort();
    }

    /** Accepts the next connection and answers its Hello. */
    Peer accept() throws IOException {
        Socket s = server.accept();
        s.setSoTimeout(10_000);
        Peer p = new Peer(s);
        Envelope hello = p.read();
        if (hello == null || !hello.hasHello()) {
            throw new IOException("expected Hello, got " + hello);
        }
        p.send(Envelope.newBuilder().setHelloOk(HelloOk.newBuilder().setProtocolVersion(1)
                .setMaxFrameBytes(16 << 20).setMaxInFlight(16)).build());
        return p;
    }

    /** Stops listening: from now on a connection attempt is refused. */
    @Override
    public void close() throws IOException {
        server.close();
    }

    static final class Peer implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        Peer(Socket socket) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        }

        Envelope read() throws IOException {
            return Envelope.parseDelimitedFrom(in);
        }

        void send(Envelope e) throws IOException {
            e.writeDelimitedTo(out);
            out.flush();
        }

        void write(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
