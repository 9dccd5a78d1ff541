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
 */
public enum Script {
    ENQUEUE("enqueue"),
    ENQUEUE_MANY("enqueue_many"),
    CLAIM("claim"),
    ACK("ack"),
    RENEW("renew"),
    FAIL("fail"),
    RELEASE("release"),
    SWEEP("sweep"),
    PARK("park"),
    UNPARK("unpark"),
    DLQ_REPLAY("dlq_replay"),
    DLQ_PURGE("dlq_purge"),
    PAUSE("pause"),
    RESUME("resume"),
    INSPECT("inspect"),
    REGISTER_NAMESPACE("register_namespace"),
    ENQUEUE_DELAYED("enqueue_delayed"),
    PROMOTE_DELAYED("promote_delayed"),
    SCHEDULE_PUT("schedule_put"),
    SCHEDULE_REMOVE("schedule_remove"),
    SCHEDULE_FIRE("schedule_fire");

    private static final String DIR = "/io/seriatim/core/script/";

    private final String fileName;
    private final String source;
    private final byte[] sourceBytes;
    private final String sha;
    private final byte[] shaBytes;

    Script(String name) {
        this.fileName = name + ".lua";
        this.source = expand(read(DIR + fileName));
        this.sourceBytes = source.getBytes(StandardCharsets.UTF_8);
        this.sha = sha1(sourceBytes);
        this.shaBytes = sha.getBytes(StandardCharsets.US_ASCII);
    }

    public String fileName() { return fileName; }
    public String source() { return source; }
    public byte[] sourceBytes() { return sourceBytes; }
    public String sha() { return sha; }
    public byte[] shaBytes() { return shaBytes; }

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
