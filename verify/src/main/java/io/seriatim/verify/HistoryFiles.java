package io.seriatim.verify;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads the JSON lines that {@code verify-produce} and {@code verify-consume} write (one object
 * per line; fields in {@code docs/verify.md}). Lines of other types, and a torn last line left by
 * a killed process, are skipped.
 */
public final class HistoryFiles {
    private HistoryFiles() {}

    public static List<Submitted> submitted(List<Path> files) {
        List<Submitted> out = new ArrayList<>();
        forEachObject(files, o -> {
            String type = o.has("type") ? o.get("type").getAsString() : "";
            if (type.equals("ack") || type.equals("unknown")) {
                out.add(new Submitted(o.get("key").getAsString(), o.get("seq").getAsLong(),
                        o.has("jobId") ? o.get("jobId").getAsLong() : -1, type.equals("ack"),
                        o.has("mono") ? o.get("mono").getAsLong() : -1));
            }
        });
        return out;
    }

    /** The runs, each with its end when an {@code end} line of the same process, key, job and fence follows it. */
    public static List<Run> runs(List<Path> files) {
        List<Run> out = new ArrayList<>();
        Map<String, Integer> open = new HashMap<>(); // pid, key, seq, fence -> index of its run without an end
        forEachObject(files, o -> {
            String type = o.has("type") ? o.get("type").getAsString() : "";
            String id = o.has("pid") ? o.get("pid").getAsLong() + "\n" + o.get("key").getAsString() + "\n"
                    + o.get("seq").getAsLong() + "\n" + o.get("fence").getAsLong() : "";
            if (type.equals("run")) {
                open.put(id, out.size());
                out.add(new Run(o.get("key").getAsString(), o.get("seq").getAsLong(), o.get("jobId").getAsLong(),
                        o.get("fence").getAsLong(), o.get("attempt").getAsInt(), o.get("pid").getAsLong(),
                        o.get("mono").getAsLong()));
            } else if (type.equals("end") && open.containsKey(id)) {
                int i = open.remove(id);
                Run r = out.get(i);
                out.set(i, new Run(r.key(), r.seq(), r.jobId(), r.fence(), r.attempt(), r.pid(), r.monoNanos(),
                        o.get("mono").getAsLong()));
            }
        });
        return out;
    }

    /** Each line's object in file order, one at a time: a soak's bucket holds millions, which must not all be in memory as JSON. */
    private static void forEachObject(List<Path> files, Consumer<JsonObject> each) {
        for (Path file : files) {
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (line.isBlank() || line.charAt(0) != '{') {
                        continue;
                    }
                    JsonObject o;
                    try {
                        o = JsonParser.parseString(line).getAsJsonObject();
                    } catch (RuntimeException torn) {
                        continue; // a process killed mid-write leaves a partial last line: it recorded nothing
                    }
                    each.accept(o);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read history file " + file, e);
            }
        }
    }
}
