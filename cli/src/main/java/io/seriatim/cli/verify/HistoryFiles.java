package io.seriatim.cli.verify;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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

    public static List<Run> runs(List<Path> files) {
        List<Run> out = new ArrayList<>();
        for (JsonObject o : objects(files)) {
            if (o.has("type") && o.get("type").getAsString().equals("run")) {
                out.add(new Run(o.get("key").getAsString(), o.get("seq").getAsLong(), o.get("jobId").getAsLong(),
                        o.get("fence").getAsLong(), o.get("attempt").getAsInt(), o.get("pid").getAsLong(),
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
