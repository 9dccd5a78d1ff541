package io.seriatim.testkit;

import io.seriatim.localredis.RedisServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Ends each test run (under Maven: each module's) with a short block saying which
 * {@code redis-server} the tests ran on and which tests were skipped and why. A run that fell
 * back to the embedded Redis 6.2, and so skipped the Redis 7 tests, says so instead of passing
 * as if it had tested everything.
 *
 * <p>Registered in {@code META-INF/services}: every module with testkit on its test class path
 * gets it without a line of set-up.
 */
public final class TestRunSummary implements TestExecutionListener {
    private static final Pattern VERSION = Pattern.compile("\\bv=(\\S+)");

    private final List<String> skipped = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        skipped.add(name(test) + ": " + reason);
    }

    /** A failed assumption (e.g. "needs Redis 7") aborts a test; surefire counts it as skipped. */
    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
            skipped.add(name(test) + ": " + result.getThrowable().map(Throwable::getMessage).orElse("aborted"));
        }
    }

    @Override
    public void testPlanExecutionFinished(TestPlan plan) {
        String run = "[seriatim tests: " + Path.of(System.getProperty("user.dir")).getFileName() + "] ";
        StringBuilder out = new StringBuilder();
        List<Path> binaries = RedisServer.binariesStarted();
        if (binaries.isEmpty()) {
            out.append(run).append("started no redis-server\n");
        }
        for (Path binary : binaries) {
            out.append(run).append("ran on redis-server ").append(version(binary)).append(" (").append(binary).append(")\n");
        }
        out.append(run).append("skipped ").append(skipped.isEmpty() ? "none" : skipped.size() + ":").append('\n');
        synchronized (skipped) {
            skipped.forEach(s -> out.append(run).append("  ").append(s).append('\n'));
        }
        System.out.print(out);
        System.out.flush();
    }

    private static String name(TestIdentifier test) {
        return switch (test.getSource().orElse(null)) {
            case MethodSource m -> simple(m.getClassName()) + "." + m.getMethodName();
            case ClassSource c -> simple(c.getClassName());
            case null, default -> test.getDisplayName();
        };
    }

    private static String simple(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    private static String version(Path binary) {
        try {
            Process p = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(5, TimeUnit.SECONDS);
            Matcher m = VERSION.matcher(text);
            return m.find() ? m.group(1) : "(version unknown: " + text.strip() + ")";
        } catch (IOException e) {
            return "(version unknown: " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(version unknown: interrupted)";
        }
    }
}
