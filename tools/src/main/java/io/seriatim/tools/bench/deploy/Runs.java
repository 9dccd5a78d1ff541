package io.seriatim.tools.bench.deploy;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Handler runs as columns, one entry per run: the job's key index and seq (from its payload), when
 * the handler started ({@code System.nanoTime()} in the worker) and when the client called submit
 * (its {@code System.nanoTime()}, the same clock). Immutable once made; the arrays are not copied,
 * so whoever makes one gives its arrays up.
 */
record Runs(int[] keys, int[] seqs, long[] starts, long[] submits) {
    private static final int MAGIC = 0x53524e31; // "SRN1"

    Runs {
        if (seqs.length != keys.length || starts.length != keys.length || submits.length != keys.length) {
            throw new IllegalArgumentException("columns of different lengths");
        }
    }

    int size() {
        return keys.length;
    }

    /** Writes to a temporary file renamed into place, so a reader never sees half a file. */
    void writeTo(Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
            out.writeInt(MAGIC);
            out.writeInt(size());
            for (int i = 0; i < size(); i++) {
                out.writeInt(keys[i]);
                out.writeInt(seqs[i]);
                out.writeLong(starts[i]);
                out.writeLong(submits[i]);
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static Runs readFrom(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            if (in.readInt() != MAGIC) {
                throw new IOException(file + " is not a records file of the bench's handler");
            }
            int n = in.readInt();
            Runs r = new Runs(new int[n], new int[n], new long[n], new long[n]);
            for (int i = 0; i < n; i++) {
                r.keys[i] = in.readInt();
                r.seqs[i] = in.readInt();
                r.starts[i] = in.readLong();
                r.submits[i] = in.readLong();
            }
            return r;
        }
    }

    /** All the runs of several worker processes in one. */
    static Runs concat(List<Runs> parts) {
        int n = parts.stream().mapToInt(Runs::size).sum();
        Runs all = new Runs(new int[n], new int[n], new long[n], new long[n]);
        int at = 0;
        for (Runs p : parts) {
            System.arraycopy(p.keys, 0, all.keys, at, p.size());
            System.arraycopy(p.seqs, 0, all.seqs, at, p.size());
            System.arraycopy(p.starts, 0, all.starts, at, p.size());
            System.arraycopy(p.submits, 0, all.submits, at, p.size());
            at += p.size();
        }
        return all;
    }
}
