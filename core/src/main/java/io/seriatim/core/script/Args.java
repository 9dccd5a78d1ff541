package io.seriatim.core.script;

import static java.nio.charset.StandardCharsets.UTF_8;

/** Script arguments as Redis passes them to Lua: UTF-8 text and numbers in decimal. */
public final class Args {
    private Args() {}

    public static byte[] text(String s) {
        return s.getBytes(UTF_8);
    }

    public static byte[] num(long n) {
        return Long.toString(n).getBytes(UTF_8);
    }
}
