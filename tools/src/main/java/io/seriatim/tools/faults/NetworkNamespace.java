package io.seriatim.tools.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Linux network namespace joined to this host by a veth pair, so that one worker can be cut
 * off from Redis (its link taken down) while everything else keeps running. Needs root and
 * iproute2; {@link #create} fails clearly without them. The rig owns it and deletes it on close.
 */
final class NetworkNamespace implements AutoCloseable {
    private final String name;
    private final String hostLink;
    private final String hostIp;

    private NetworkNamespace(String name, String hostLink, String hostIp) {
        this.name = name;
        this.hostLink = hostLink;
        this.hostIp = hostIp;
    }

    /** A namespace named after this process, with the host at 10.77.N.1 and the namespace at 10.77.N.2. */
    static NetworkNamespace create() {
        long pid = ProcessHandle.current().pid();
        String name = "seriatim-" + pid;
        String hostLink = "srh" + pid % 1_000_000;
        String inner = "srw" + pid % 1_000_000;
        String subnet = "10.77." + pid % 250 + ".";
        NetworkNamespace ns = new NetworkNamespace(name, hostLink, subnet + "1");
        try {
            ip("netns", "add", name);
            ip("link", "add", hostLink, "type", "veth", "peer", "name", inner);
            ip("link", "set", inner, "netns", name);
            ip("addr", "add", subnet + "1/30", "dev", hostLink);
            ip("link", "set", hostLink, "up");
            ip("netns", "exec", name, "ip", "addr", "add", subnet + "2/30", "dev", inner);
            ip("netns", "exec", name, "ip", "link", "set", inner, "up");
            ip("netns", "exec", name, "ip", "link", "set", "lo", "up");
            return ns;
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
    }

    /** The host's address on the link: what a process inside the namespace connects to. */
    String hostIp() {
        return hostIp;
    }

    /** The command prefix that runs a program inside the namespace. */
    List<String> exec() {
        return List.of("ip", "netns", "exec", name);
    }

    /** Takes the link down: packets to and from the namespace are dropped, connections hang. */
    void cut() {
        ip("link", "set", hostLink, "down");
    }

    void heal() {
        ip("link", "set", hostLink, "up");
    }

    @Override
    public void close() {
        try {
            ip("link", "del", hostLink); // deletes its peer in the namespace too
        } catch (RuntimeException ignored) {
            // not created, or already gone
        }
        try {
            ip("netns", "del", name);
        } catch (RuntimeException ignored) {
            // not created
        }
    }

    private static void ip(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed (needs root and iproute2): " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", cmd) + " (is iproute2 installed?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + String.join(" ", cmd), e);
        }
    }
}
