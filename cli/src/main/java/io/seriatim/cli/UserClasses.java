package io.seriatim.cli;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The one place the command loads classes the user names (the worker's {@code --handler}): from
 * the user's classpath, through a class loader whose parent holds seriatim's own classes.
 *
 * <p>Parent first: a class that seriatim's jar holds (the {@code io.seriatim.worker} API, SLF4J,
 * Jedis, ...) always comes from seriatim's jar, so the user's handler and the worker agree on what
 * a {@code JobHandler} is; any other class comes from the user's jars.
 *
 * <p>Every failure is an {@link IllegalArgumentException} with a one-line message, which the
 * command prints as a usage error (exit code 2).
 */
final class UserClasses implements AutoCloseable {
    private final String classpath;
    private final URLClassLoader loader;

    private UserClasses(String classpath, URLClassLoader loader) {
        this.classpath = classpath;
        this.loader = loader;
    }

    /**
     * Opens a classpath as the user wrote it: entries separated by {@link File#pathSeparator},
     * each a jar, a directory of classes, or {@code DIR/*} for every jar in {@code DIR} (as
     * {@code java -cp} reads it). Relative entries are resolved against the working directory.
     *
     * @param classpath null or blank for seriatim's own classes only
     * @throws IllegalArgumentException naming an entry that does not exist
     */
    static UserClasses open(String classpath) {
        String given = classpath == null ? "" : classpath.strip();
        List<URL> urls = new ArrayList<>();
        for (String entry : given.split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                urls.addAll(urlsOf(entry.strip()));
            }
        }
        return new UserClasses(given, new URLClassLoader("seriatim-user-classes", urls.toArray(URL[]::new),
                UserClasses.class.getClassLoader()));
    }

    /**
     * The loader of the user's classes; user code should run with it as its thread's context
     * class loader, since libraries in user jars (JDBC drivers, ServiceLoader lookups) look there.
     */
    ClassLoader loader() {
        return loader;
    }

    /**
     * Loads {@code className}, checks that it is a {@code type}, and makes one with its public
     * no-argument constructor, which runs with {@link #loader()} as the context class loader.
     *
     * @param option the option that named the class, to start the messages with (e.g. {@code --handler})
     * @throws IllegalArgumentException with a one-line reason, if any step fails
     */
    <T> T newInstance(String option, String className, Class<T> type) {
        String what = option + " " + className;
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            Class<?> c = load(what, className);
            if (!type.isAssignableFrom(c)) {
                throw new IllegalArgumentException(what + " does not implement " + type.getName());
            }
            if (c.isInterface() || Modifier.isAbstract(c.getModifiers())) {
                throw new IllegalArgumentException(what + " is abstract: name a concrete class");
            }
            if (!Modifier.isPublic(c.getModifiers())) {
                throw new IllegalArgumentException(what + " is not public");
            }
            return type.cast(c.getConstructor().newInstance());
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException(what + " has no public no-argument constructor");
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException(what + ": its constructor threw " + e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException(what + " cannot be made: " + e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private Class<?> load(String what, String className) {
        try {
            return Class.forName(className, true, loader);
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException(what + ": class not found " + (classpath.isEmpty()
                    ? "(no --classpath or SERIATIM_CLASSPATH given: only seriatim's own classes were searched)"
                    : "on classpath " + classpath));
        } catch (ExceptionInInitializerError e) {
            throw new IllegalArgumentException(what + ": its static initializer threw " + e.getCause());
        } catch (LinkageError e) {
            // Typically a class it needs is in no jar given, or it was compiled for a newer Java.
            throw new IllegalArgumentException(what + " cannot be loaded: " + e + " (classpath: "
                    + (classpath.isEmpty() ? "none" : classpath) + ")");
        }
    }

    private static List<URL> urlsOf(String entry) {
        if (entry.equals("*") || entry.endsWith(File.separator + "*")) {
            String dirName = entry.substring(0, entry.length() - 1);
            return jarsIn(entry, Path.of(dirName.isEmpty() ? "." : dirName));
        }
        Path path = Path.of(entry);
        if (!Files.exists(path)) {
            throw new IllegalArgumentException("classpath entry " + entry + " does not exist (looked for "
                    + path.toAbsolutePath().normalize() + ")");
        }
        return List.of(url(path));
    }

    private static List<URL> jarsIn(String entry, Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("classpath entry " + entry + ": no directory " + dir.toAbsolutePath().normalize());
        }
        List<URL> jars;
        try (Stream<Path> files = Files.list(dir)) {
            // Sorted, so that which of two jars holding one class wins does not depend on the file system.
            jars = files.filter(f -> f.getFileName().toString().matches(".*\\.(jar|JAR)") && Files.isRegularFile(f))
                    .sorted().map(UserClasses::url).toList();
        } catch (IOException e) {
            throw new IllegalArgumentException("classpath entry " + entry + ": cannot list " + dir + ": " + e);
        }
        if (jars.isEmpty()) {
            // java -cp would accept it silently; here it is almost surely a wrong directory.
            throw new IllegalArgumentException("classpath entry " + entry + ": no .jar file in " + dir.toAbsolutePath().normalize());
        }
        return jars;
    }

    private static URL url(Path path) {
        try {
            return path.toAbsolutePath().normalize().toUri().toURL(); // a directory's URI ends with '/', as URLClassLoader needs
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("classpath entry " + path + ": " + e.getMessage());
        }
    }

    /** Closes the user's jars; only once no user class will be loaded any more. */
    @Override
    public void close() {
        try {
            loader.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
