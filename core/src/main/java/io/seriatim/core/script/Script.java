package io.seriatim.core.script;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Every Redis-side state change of Seriatim: one Lua file per constant, under
 * {@code io/seriatim/core/script/}. Each file's header states its KEYS, ARGV, return values
 * and the invariant it keeps; read it before changing a caller. Each constant names its KEYS and
 * ARGV as the header does ({@code ScriptHeadersTest} compares them) and {@link ScriptRunner}
 * refuses a call that passes other counts.
 *
 * <p>A line {@code -- @include name.lua} is replaced by {@code include/name.lua} when the source
 * is loaded: Redis scripts cannot import each other, and shared helpers must not be copied by
 * hand. The SHA-1 is of the expanded source, as Redis computes it for EVALSHA.
 *
 * <p><b>Memory.</b> At {@code maxmemory} with {@code noeviction}, Redis refuses commands that
 * grow memory. Each script is either a {@link Memory#GROWS grower} (new jobs, new schedules, DLQ
 * replay: refused whole when Redis is full, before it writes anything) or a
 * {@link Memory#DRAINS drainer} (claim, ack, renew, fail, sweep, ...: these must keep working
 * when Redis is full, since draining is what frees memory; also registering a namespace, one
 * small hash, so that a worker can start on a full Redis). Redis 7 takes this as a script flag, in a {@code #!lua} first
 * line ({@link #flaggedSha()}); Redis 6.2 knows no flags, and runs the plain source,
 * where a drainer's first memory-growing write (a lease's ZADD) may be refused at the limit.
 */
public enum Script {
    ENQUEUE_MANY("enqueue_many", Memory.GROWS, keys("ready", "stats", "bell", "leases", "parked"),
            args("prefix", "dedupTtlMs", "callDedupId", "callFirst", "blockFirst", "groups..")),
    // only for submits, which a full Redis refuses anyway
    RESERVE_IDS("reserve_ids", Memory.GROWS, keys("seq"), args("prefix", "count", "markerTtlMs")),
    CLAIM("claim", Memory.DRAINS, keys("ready", "leases", "owners", "fence", "attempts", "paused", "bell"),
            args("prefix", "workerId", "maxKeys", "leaseMs", "batch")),
    ACK("ack", Memory.DRAINS, keys("ready", "leases", "owners", "attempts", "stats", "bell", "deferred"),
            args("prefix", "workerId", "leaseMs", "budgetJobs", "budgetMs", "groups..")),
    RENEW("renew", Memory.DRAINS, keys("leases", "owners"), args("workerId", "leaseMs", "pairs..")),
    FAIL("fail", Memory.DRAINS, keys("ready", "leases", "owners", "attempts", "stats", "bell", "queue", "deferred"),
            args("prefix", "key", "workerId", "fence", "jobId", "error", "retryable", "maxAttempts", "delayMs",
                    "policy")),
    RELEASE("release", Memory.DRAINS, keys("ready", "leases", "owners", "bell", "deferred"),
            args("prefix", "key", "workerId", "fence")),
    SWEEP("sweep", Memory.DRAINS, keys("leases", "owners", "attempts", "stats", "bell", "deferred"),
            args("prefix", "limit", "maxAttempts", "policy")),
    PARK("park", Memory.DRAINS, keys("ready", "leases", "owners", "parked", "queue", "deferred"),
            args("key", "reason")),
    UNPARK("unpark", Memory.DRAINS, keys("ready", "parked", "attempts", "bell", "queue", "deferred"), args("key")),
    // list entries are bigger than the stream entries it deletes
    DLQ_REPLAY("dlq_replay", Memory.GROWS,
            keys("dlq", "ready", "leases", "parked", "attempts", "stats", "bell", "deferred"),
            args("prefix", "key", "limit", "toHead", "fromId")),
    // Removes or moves tokens; a restored lease or a ready entry replaces one that was lost.
    REPAIR("repair", Memory.DRAINS,
            keys("ready", "leases", "owners", "parked", "deferred", "attempts", "stats", "bell"), args("prefix", "keys..")),
    DLQ_PURGE("dlq_purge", Memory.DRAINS, keys("dlq", "stats"), args("key", "limit", "fromId")),
    PAUSE("pause", Memory.DRAINS, keys("paused", "leases"), args()),
    RESUME("resume", Memory.DRAINS, keys("paused", "bell"), args()),
    INSPECT("inspect", Memory.DRAINS, keys("ready", "leases", "owners", "attempts", "parked", "queue", "deferred"),
            args("prefix", "key", "peek")),
    // One small hash, once per namespace: a worker must start on a full Redis.
    REGISTER_NAMESPACE("register_namespace", Memory.DRAINS, keys("registry", "settings"),
            args("name", "partitions", "insist", "layout", "settings..")),
    // Overwrites a few small values: an operator must be able to lower a limit on a full Redis.
    UPDATE_NAMESPACE("update_namespace", Memory.DRAINS, keys("settings"), args("changes..")),
    ENQUEUE_DELAYED("enqueue_delayed", Memory.GROWS, keys("delayed", "stats"),
            args("prefix", "key", "dedupId", "dedupTtlMs", "runAtMs", "delayMs", "firstSeq", "blockFirst", "jobs..")),
    PROMOTE_DELAYED("promote_delayed", Memory.DRAINS, keys("delayed", "stats"), args("prefix", "limit")),
    SCHEDULE_PUT("schedule_put", Memory.GROWS, keys("schedules", "ticks"), args("name", "encoded", "last")),
    SCHEDULE_REMOVE("schedule_remove", Memory.DRAINS, keys("schedules", "ticks"), args("name")),
    SCHEDULE_FIRE("schedule_fire", Memory.GROWS, keys("schedules", "ticks", "seq", "stats"),
            args("prefix", "name", "tickMs", "key", "partition", "body"));

    /** What a script does to Redis' memory, which decides whether it may run at {@code maxmemory}. */
    public enum Memory {
        /** Adds data: refused whole at the limit. */
        GROWS("#!lua\n"),
        /** Moves or removes data: allowed at the limit (Redis 7 flag {@code allow-oom}). */
        DRAINS("#!lua flags=allow-oom\n");

        private final String shebang;

        Memory(String shebang) {
            this.shebang = shebang;
        }
    }

    private static final String DIR = "/io/seriatim/core/script/";

    /** Marks the last ARGV name as the rest of the arguments, any number of them ({@code ARGV[9..]}). */
    private static final String REST = "..";

    private final String fileName;
    private final List<String> keyNames;
    private final List<String> argNames;
    private final String source;
    private final byte[] sourceBytes;
    private final String sha;
    private final byte[] shaBytes;
    private final byte[] flaggedSourceBytes;
    private final String flaggedSha;
    private final byte[] flaggedShaBytes;

    Script(String name, Memory memory, List<String> keyNames, List<String> argNames) {
        this.fileName = name + ".lua";
        this.keyNames = keyNames;
        this.argNames = argNames;
        this.source = expand(read(DIR + fileName));
        this.sourceBytes = source.getBytes(StandardCharsets.UTF_8);
        this.sha = sha1(sourceBytes);
        this.shaBytes = sha.getBytes(StandardCharsets.US_ASCII);
        this.flaggedSourceBytes = (memory.shebang + source).getBytes(StandardCharsets.UTF_8);
        this.flaggedSha = sha1(flaggedSourceBytes);
        this.flaggedShaBytes = flaggedSha.getBytes(StandardCharsets.US_ASCII);
    }

    public String fileName() { return fileName; }
    /** The names of its KEYS, in order, as its header lists them. */
    public List<String> keyNames() { return keyNames; }
    /** The names of its ARGV, in order, as its header lists them; a last name ending in ".." takes the rest. */
    public List<String> argNames() { return argNames; }
    /** The source for Redis before 7.0, without flags. */
    public String source() { return source; }
    public String sha() { return sha; }
    /** The SHA-1 of the source for Redis 7.0 and later: a {@code #!lua} line with the memory flag, then {@link #source()}. */
    public String flaggedSha() { return flaggedSha; }

    byte[] sourceBytes(boolean flagged) { return flagged ? flaggedSourceBytes : sourceBytes; }
    byte[] shaBytes(boolean flagged) { return flagged ? flaggedShaBytes : shaBytes; }

    /**
     * Refuses a call whose KEYS or ARGV count is not the header's: a caller that drifted from its
     * script would otherwise be read by the script as other arguments.
     */
    void checkCall(int keyCount, int argCount) {
        if (keyCount != keyNames.size()) {
            throw new IllegalArgumentException(fileName + " takes " + keyNames.size() + " KEYS " + keyNames + ", got "
                    + keyCount);
        }
        boolean rest = !argNames.isEmpty() && argNames.getLast().endsWith(REST);
        int fixed = rest ? argNames.size() - 1 : argNames.size();
        if (rest ? argCount < fixed : argCount != fixed) {
            throw new IllegalArgumentException(fileName + " takes " + (rest ? "at least " : "") + fixed + " ARGV "
                    + argNames + ", got " + argCount);
        }
    }

    private static List<String> keys(String... names) {
        return List.of(names);
    }

    private static List<String> args(String... names) {
        return List.of(names);
    }

    private static String expand(String text) {
        StringBuilder out = new StringBuilder(text.length() * 2);
        for (String line : text.split("\n", -1)) {
            String trimmed = line.strip();
            if (trimmed.startsWith("-- @include ")) {
                out.append(read(DIR + "include/" + trimmed.substring("-- @include ".length()).strip()));
            } else {
                out.append(line).append('\n');
            }
        }
        return out.toString();
    }

    private static String read(String resource) {
        try (InputStream in = Script.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing script resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha1(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
