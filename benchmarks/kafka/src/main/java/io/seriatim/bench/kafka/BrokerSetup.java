package io.seriatim.bench.kafka;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.apache.kafka.common.Uuid;

/**
 * What run.sh needs before it can write the broker's config: two free loopback ports (the client
 * listener and the KRaft controller) and a new cluster id. Printed as {@code PORT CONTROLLER_PORT
 * CLUSTER_ID}. In Java rather than in the script so that run.sh needs nothing but a JDK.
 */
public final class BrokerSetup {
    private BrokerSetup() {}

    public static void main(String[] args) throws IOException {
        // Both sockets are held open together so the kernel cannot hand out the same port twice.
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket a = new ServerSocket(0, 1, loopback); ServerSocket b = new ServerSocket(0, 1, loopback)) {
            System.out.println(a.getLocalPort() + " " + b.getLocalPort() + " " + Uuid.randomUuid());
        }
    }
}
