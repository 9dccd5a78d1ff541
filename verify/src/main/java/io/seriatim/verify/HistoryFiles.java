package io.seriatim.verify;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the JSON lines that {@code verify-produce} and {@code verify-consume} write (one object
 * per line; fields in {@code docs/verify.md}). Lines of other types, and a torn last line left by
 * a killed process, are skipped.
 */
public final class HistoryFiles {
    private HistoryFiles() {}

    public static List<Submitted> submitted(List<Path> files) {
        List<Submitted> out = new ArrayList<>();
        for (JsonObject o : objects(files)) {
            String type = o.has("type") ? o.get("type").getAsString() : "";
            if (type.equals("ack") || type.equals("unknown")) {
                out.add(new Submitted(o.get("key").getAsString(), o.get("seq").getAsLong(),
                        o.has("jobId") ? o.get("jobId").getAsLong() : -1, type.equals("ack"),
                        o.has("mono") ? o.get("mono").getAsLong() : -1));
            }
        }
        return out;
    }

    /** The runs, each with its end when an {@code end} line of the same process, key, job and fence follows it. */
    public static List<Run> runs(List<Path> files) {
        List<Run> out = new ArrayList<>();
        Map<String, Integer> open = new HashMap<>(); // pid, key, seq, fence -> index of its run without an end
        for (JsonObject o : objects(files)) {
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
        }
        return out;
    }

    private static List<JsonObject> objects(List<Path> files) {
        List<JsonObject> out = new ArrayList<>();
        for (Path file : files) {
            List<String> lines;
            try {
                lines = Files.readAllLines(file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read history file " + file, e);
            }
            for (String line : lines) {
                if (line.isBlank() || line.charAt(0) != '{') {
                    continue;
                }
                try {
                    out.add(JsonParser.parseString(line).getAsJsonObject());
                } catch (RuntimeException torn) {
                    // A process killed mid-write leaves a partial last line: it recorded nothing.
                }
            }
        }
        return out;
    }
}
