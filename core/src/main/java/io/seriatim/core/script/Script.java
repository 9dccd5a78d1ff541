package io.seriatim.core.script;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Every Redis-side state change of Seriatim: one Lua file per constant, under
 * {@code io/seriatim/core/script/}. Each file's header states its KEYS, ARGV, return values
 * and the invariant it keeps; read it before changing a caller.
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
 * line ({@link #flaggedSourceBytes()}); Redis 6.2 knows no flags, and runs the plain source,
 * where a drainer's first memory-growing write (a lease's ZADD) may be refused at the limit.
 */
public enum Script {
    ENQUEUE_MANY("enqueue_many", Memory.GROWS),
    RESERVE_IDS("reserve_ids", Memory.GROWS), // only for submits, which a full Redis refuses anyway
    CLAIM("claim", Memory.DRAINS),
    ACK("ack", Memory.DRAINS),
    RENEW("renew", Memory.DRAINS),
    FAIL("fail", Memory.DRAINS),
    RELEASE("release", Memory.DRAINS),
    SWEEP("sweep", Memory.DRAINS),
    PARK("park", Memory.DRAINS),
    UNPARK("unpark", Memory.DRAINS),
    DLQ_REPLAY("dlq_replay", Memory.GROWS), // list entries are bigger than the stream entries it deletes
    DLQ_PURGE("dlq_purge", Memory.DRAINS),
    PAUSE("pause", Memory.DRAINS),
    RESUME("resume", Memory.DRAINS),
    INSPECT("inspect", Memory.DRAINS),
    // One small hash, once per namespace: a worker must start on a full Redis.
    REGISTER_NAMESPACE("register_namespace", Memory.DRAINS),
    // Overwrites a few small values: an operator must be able to lower a limit on a full Redis.
    UPDATE_NAMESPACE("update_namespace", Memory.DRAINS),
    ENQUEUE_DELAYED("enqueue_delayed", Memory.GROWS),
    PROMOTE_DELAYED("promote_delayed", Memory.DRAINS),
    SCHEDULE_PUT("schedule_put", Memory.GROWS),
    SCHEDULE_REMOVE("schedule_remove", Memory.DRAINS),
    SCHEDULE_FIRE("schedule_fire", Memory.GROWS);

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

    private final String fileName;
    private final String source;
    private final byte[] sourceBytes;
    private final String sha;
    private final byte[] shaBytes;
    private final Memory memory;
    private final byte[] flaggedSourceBytes;
    private final String flaggedSha;
    private final byte[] flaggedShaBytes;

    Script(String name, Memory memory) {
        this.fileName = name + ".lua";
        this.memory = memory;
        this.source = expand(read(DIR + fileName));
        this.sourceBytes = source.getBytes(StandardCharsets.UTF_8);
        this.sha = sha1(sourceBytes);
        this.shaBytes = sha.getBytes(StandardCharsets.US_ASCII);
        this.flaggedSourceBytes = (memory.shebang + source).getBytes(StandardCharsets.UTF_8);
        this.flaggedSha = sha1(flaggedSourceBytes);
        this.flaggedShaBytes = flaggedSha.getBytes(StandardCharsets.US_ASCII);
    }

    public String fileName() { return fileName; }
    public Memory memory() { return memory; }
    /** The source for Redis before 7.0, without flags. */
    public String source() { return source; }
    public byte[] sourceBytes() { return sourceBytes; }
    public String sha() { return sha; }
    public byte[] shaBytes() { return shaBytes; }
    /** The source for Redis 7.0 and later: a {@code #!lua} line with the memory flag, then {@link #source()}. */
    public byte[] flaggedSourceBytes() { return flaggedSourceBytes; }
    public String flaggedSha() { return flaggedSha; }
    public byte[] flaggedShaBytes() { return flaggedShaBytes; }

    byte[] sourceBytes(boolean flagged) { return flagged ? flaggedSourceBytes : sourceBytes; }
    byte[] shaBytes(boolean flagged) { return flagged ? flaggedShaBytes : shaBytes; }

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
