package io.seriatim.cli;

import com.google.errorprone.annotations.FormatMethod;
import com.google.errorprone.annotations.FormatString;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * What an operator command answers: lines for a person, and the same as one JSON object for a
 * script ({@code --json}). A command fills both; {@link #print} is the one place that picks.
 * Errors never come through here: they are one line on stderr and an exit code ({@link Errors}).
 */
final class Answer {
    private final StringBuilder text = new StringBuilder();
    private final JsonObject json = new JsonObject();
    private int exit = ExitCode.OK;

    /** A line of text (a {@link String#format} pattern). */
    @FormatMethod
    Answer line(@FormatString String format, Object... args) {
        text.append(String.format(Locale.ROOT, format, args)).append('\n');
        return this;
    }

    Answer field(String name, String value) {
        json.addProperty(name, value);
        return this;
    }

    Answer field(String name, Number value) {
        json.addProperty(name, value);
        return this;
    }

    Answer field(String name, boolean value) {
        json.addProperty(name, value);
        return this;
    }

    Answer field(String name, JsonElement value) {
        json.add(name, value);
        return this;
    }

    /** The exit code: {@link ExitCode#OK} unless set (nothing to act on, say). */
    Answer exit(int code) {
        this.exit = code;
        return this;
    }

    int print(PrintWriter out, boolean asJson) {
        if (asJson) {
            out.println(json);
        } else {
            out.print(text);
        }
        out.flush();
        return exit;
    }
}
