package io.seriatim.tools.bench.deploy;

import io.seriatim.cli.Seriatim;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The command lines the {@code ./seriatim} launcher execs, for the bench to start processes the
 * way a user does: the product as {@code java --enable-native-access=ALL-UNNAMED $SERIATIM_JAVA_OPTS
 * -jar seriatim.jar <command>}, the tools as {@code java ... -cp seriatim.jar:seriatim-tools.jar
 * io.seriatim.tools.Tools <command>}.
 *
 * @param java       the {@code java} binary: this JVM's, which the launcher chose
 * @param productJar {@code cli/target/seriatim.jar}
 * @param toolsJar   {@code tools/target/seriatim-tools.jar}, which holds the bench's handler and client
 * @param javaOptions {@code $SERIATIM_JAVA_OPTS}, split on white space as the launcher's shell does
 */
record Launch(Path java, Path productJar, Path toolsJar, List<String> javaOptions) {
    private static final String TOOLS_MAIN = "io.seriatim.tools.Tools";

    /**
     * Finds the two jars: the ones this JVM runs from when it was started as the launcher starts
     * {@code seriatim bench}, else (a test, run from class directories) those built under the
     * source tree this class was compiled in.
     *
     * @throws IllegalStateException naming where it looked and how to build them
     */
    static Launch locate() {
        Path java = Path.of(ProcessHandle.current().info().command().orElse("java"));
        String opts = System.getenv().getOrDefault("SERIATIM_JAVA_OPTS", "").strip();
        List<String> options = opts.isEmpty() ? List.of() : Arrays.asList(opts.split("\\s+"));
        Path product = codeSource(Seriatim.class);
        Path tools = codeSource(Launch.class);
        if (product.getFileName().toString().equals("seriatim.jar") && Files.isRegularFile(product)
                && tools.getFileName().toString().equals("seriatim-tools.jar") && Files.isRegularFile(tools)) {
            return new Launch(java, product, tools, options);
        }
        for (Path dir = tools; dir != null; dir = dir.getParent()) {
            Path built = dir.resolve("cli/target/seriatim.jar");
            Path builtTools = dir.resolve("tools/target/seriatim-tools.jar");
            if (Files.isRegularFile(built) && Files.isRegularFile(builtTools)) {
                return new Launch(java, built, builtTools, options);
            }
        }
        throw new IllegalStateException("the deployment bench needs seriatim.jar and seriatim-tools.jar: this JVM does not "
                + "run from them, and there is no cli/target/seriatim.jar with tools/target/seriatim-tools.jar above " + tools
                + "; build them with ./mvnw -pl tools -am package -DskipTests (./seriatim does it by itself)");
    }

    private static Path codeSource(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
        } catch (Exception e) {
            return Path.of("").toAbsolutePath();
        }
    }

    /** {@code seriatim <args>} as the launcher execs it. */
    List<String> product(List<String> args) {
        List<String> cmd = start();
        cmd.addAll(List.of("-jar", productJar.toString()));
        cmd.addAll(args);
        return cmd;
    }

    /** A tools command ({@code bench-client ...}) as the launcher execs {@code seriatim bench}. */
    List<String> tools(List<String> args) {
        List<String> cmd = start();
        cmd.addAll(List.of("-cp", productJar + ":" + toolsJar, TOOLS_MAIN));
        cmd.addAll(args);
        return cmd;
    }

    private List<String> start() {
        List<String> cmd = new ArrayList<>(List.of(java.toString(), "--enable-native-access=ALL-UNNAMED"));
        cmd.addAll(javaOptions);
        return cmd;
    }
}
