package io.seriatim.tools.launch;

import java.util.ArrayList;
import java.util.List;

/**
 * How the tools start a child JVM: this JVM's {@code java} and class path, then a main class by
 * name (by name, so that the tools never import the command that starts them) and its arguments.
 */
public final class ChildJvm {
    /** The product's {@code seriatim} command: gateway, worker, sweeper, verify-consume, ... */
    public static final String PRODUCT_MAIN = "io.seriatim.cli.Seriatim";
    /** The product's command with demo, bench and faults added. */
    public static final String TOOLS_MAIN = "io.seriatim.tools.Tools";

    private ChildJvm() {}

    /** {@code java <jvmOptions> -cp <this class path> <mainClass> <args>}. */
    public static List<String> command(List<String> jvmOptions, String mainClass, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(args);
        return cmd;
    }
}
