package io.seriatim.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.seriatim.worker.JobHandler;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds jars the way a user would, from Java source the test writes: compiled with javac in a
 * temporary directory outside the test's class path, so the classes exist only in those jars.
 */
final class UserJars {
    private UserJars() {}

    /**
     * Compiles {@code sources} (class name to source) against the worker API and {@code classpath},
     * and packs the classes into {@code jar}.
     */
    static Path build(Path jar, Map<String, String> sources, Path... classpath) throws IOException {
        Path work = Files.createTempDirectory("seriatim-user-jar-");
        Path src = work.resolve("src");
        Path classes = Files.createDirectories(work.resolve("classes"));
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-classpath", classpathOf(classpath),
                "--release", "21", "-proc:none", "-Xlint:none"));
        for (Map.Entry<String, String> s : sources.entrySet()) {
            Path file = src.resolve(s.getKey().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, s.getValue());
            args.add(file.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        if (javac.run(null, output, output, args.toArray(String[]::new)) != 0) {
            throw new IllegalStateException("javac failed:\n" + output.toString(UTF_8));
        }
        pack(classes, jar);
        delete(work);
        return jar;
    }

    /** The worker API (where {@link JobHandler} comes from) and the given jars. */
    private static String classpathOf(Path... jars) {
        List<String> entries = new ArrayList<>();
        try {
            entries.add(Path.of(JobHandler.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        for (Path j : jars) {
            entries.add(j.toString());
        }
        return String.join(File.pathSeparator, entries);
    }

    private static void pack(Path classes, Path jar) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (OutputStream file = Files.newOutputStream(jar);
                JarOutputStream out = new JarOutputStream(file, manifest);
                Stream<Path> walk = Files.walk(classes)) {
            for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(p).toString().replace(File.separatorChar, '/')));
                out.write(Files.readAllBytes(p));
                out.closeEntry();
            }
        }
    }

    private static void delete(Path tree) throws IOException {
        try (Stream<Path> walk = Files.walk(tree)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
