package io.seriatim.localredis;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One line of {@code CLUSTER NODES}: how one node of a Redis Cluster sees another (or itself).
 * The format is the same on Redis 6.2 and 7 but for 7's optional {@code ,hostname} after the
 * address, which is ignored here.
 *
 * @param id       the node's 40-character id
 * @param port     its client port
 * @param flags    {@code myself}, {@code master}, {@code slave}, {@code fail?}, {@code fail},
 *                 {@code handshake}, {@code noaddr}, ...
 * @param masterId the id of the master it replicates, or {@code -} for a master
 * @param ranges   the slots it serves, as {@code from-to} or a lone slot (entries of slots being
 *                 migrated or imported left out: their owner still serves them)
 */
public record ClusterNode(String id, int port, Set<String> flags, String masterId, List<String> ranges) {

    /** Every line of a {@code CLUSTER NODES} reply. */
    public static List<ClusterNode> parseAll(String clusterNodes) {
        List<ClusterNode> out = new ArrayList<>();
        for (String line : clusterNodes.split("\r?\n")) {
            if (!line.isBlank()) {
                out.add(parse(line));
            }
        }
        return out;
    }

    static ClusterNode parse(String line) {
        String[] f = line.strip().split(" ");
        int at = f[1].indexOf('@'); // host:port@busport, and on 7 perhaps ,hostname after it
        String hostPort = at < 0 ? f[1] : f[1].substring(0, at);
        int port = Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
        List<String> ranges = new ArrayList<>();
        for (int i = 8; i < f.length; i++) {
            if (!f[i].startsWith("[")) {
                ranges.add(f[i]);
            }
        }
        return new ClusterNode(f[0], port, Set.of(f[2].split(",")), f[3], List.copyOf(ranges));
    }

    /** How many slots it serves. */
    public int slots() {
        int n = 0;
        for (String range : ranges) {
            n += last(range) - first(range) + 1;
        }
        return n;
    }

    public boolean serves(int slot) {
        return ranges.stream().anyMatch(r -> slot >= first(r) && slot <= last(r));
    }

    private static int first(String range) {
        int dash = range.indexOf('-');
        return Integer.parseInt(dash < 0 ? range : range.substring(0, dash));
    }

    private static int last(String range) {
        return Integer.parseInt(range.substring(range.indexOf('-') + 1));
    }

    public boolean isMaster() {
        return flags.contains("master");
    }

    /** Marked failing, for sure ({@code fail}) or in this node's view only ({@code fail?}). */
    public boolean isFailing() {
        return flags.contains("fail") || flags.contains("fail?");
    }

    /** Still being introduced ({@code handshake}) or without a known address ({@code noaddr}). */
    public boolean isJoining() {
        return flags.contains("handshake") || flags.contains("noaddr");
    }
}
