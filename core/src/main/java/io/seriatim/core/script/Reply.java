package io.seriatim.core.script;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.List;

/**
 * One script's reply: Redis' array of integers and strings, read by position as the script's
 * {@code Returns} header lays it out. Each caller reads the reply of its script in one decoder
 * next to the call; a value of the wrong type fails naming the script and the position, so a
 * script and its decoder that drift apart are found at once.
 */
public final class Reply {
    private final Script script;
    private final List<?> values;

    private Reply(Script script, List<?> values) {
        this.script = script;
        this.values = values;
    }

    /** A script that answers one integer (register_namespace) reads as a reply of one value. */
    static Reply of(Script script, Object raw) {
        return new Reply(script, raw instanceof List<?> list ? list : List.of(raw));
    }

    public int size() {
        return values.size();
    }

    public long integer(int i) {
        return value(i, Long.class, "an integer");
    }

    /** An integer that is a count or an ordinal, so fits an int. */
    public int count(int i) {
        return Math.toIntExact(integer(i));
    }

    /** 1 or 0. */
    public boolean flag(int i) {
        return integer(i) == 1;
    }

    public ScriptStatus status(int i) {
        return ScriptStatus.of(integer(i));
    }

    public byte[] bytes(int i) {
        return value(i, byte[].class, "a string");
    }

    public String text(int i) {
        return new String(bytes(i), UTF_8);
    }

    private <T> T value(int i, Class<T> type, String what) {
        if (i >= values.size() || !type.isInstance(values.get(i))) {
            throw new IllegalStateException(script.fileName() + " answered " + values.size() + " values, and value "
                    + i + " is not " + what + ": does its Returns header still match its caller?");
        }
        return type.cast(values.get(i));
    }
}
