package io.seriatim.localredis;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Finds a {@code redis-server} binary: the system property {@code seriatim.redis.binary} (a path,
 * or {@code embedded}), else {@code redis-server} on the PATH, else the linux-amd64 binary that
 * the embedded-redis jar ships (Redis 6.2), extracted to a temp file. A Testcontainers image would
 * be the next fallback where a Docker engine runs; none runs on our machines.
 */
public final class RedisBinary {
    public static final String PROPERTY = "seriatim.redis.binary";
    private static final String EMBEDDED_RESOURCE = "/redis-server-6.2.6-v5-linux-amd64";
    private static Path extracted;

    private RedisBinary() {}

    public static Path resolve() {
        String chosen = System.getProperty(PROPERTY, System.getenv("SERIATIM_REDIS_BINARY"));
        if (chosen != null && !chosen.isBlank()) {
            if (chosen.equals("embedded")) {
                return embedded();
            }
            Path p = Path.of(chosen);
            if (!Files.isExecutable(p)) {
                throw new IllegalStateException(PROPERTY + "=" + chosen + " is not an executable file");
            }
            return p;
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                Path candidate = Path.of(dir, "redis-server");
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return embedded();
    }

    /** The binary shipped by the embedded-redis jar, extracted once per JVM run to a temp file. */
    public static synchronized Path embedded() {
        if (extracted != null) {
            return extracted; // one file for all servers: not a copy in /tmp each, and one line in TestRunSummary
        }
        try (InputStream in = RedisBinary.class.getResourceAsStream(EMBEDDED_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("no redis-server on the PATH and the embedded-redis jar has no "
                        + EMBEDDED_RESOURCE + "; install redis-server (apt-get install redis-server)");
            }
            Path target = Files.createTempFile("seriatim-embedded-redis-server-", "");
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            if (!target.toFile().setExecutable(true)) {
                throw new IllegalStateException("cannot make " + target + " executable");
            }
            target.toFile().deleteOnExit();
            extracted = target;
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the embedded redis-server", e);
        }
    }
}
