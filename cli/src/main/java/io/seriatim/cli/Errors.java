package io.seriatim.cli;

import io.seriatim.client.SubmitException;
import io.seriatim.core.redis.RedisException;
import io.seriatim.core.redis.RedisUnavailableException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.List;
import picocli.CommandLine.ExecutionException;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;
import picocli.CommandLine;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisClusterOperationException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * The one place the {@code seriatim} command turns what went wrong into what a person reads: one
 * line {@code seriatim: ...} saying what was wrong and what to do, and an {@link ExitCode}.
 *
 * <p>A user's mistake (a bad flag or setting, a port in use, a file that is not there, Redis
 * refusing the login) exits 2; Redis that cannot be reached, or cannot answer yet, exits 3. Only
 * what none of these explains is a bug in seriatim: it alone prints a stack trace, and exits
 * {@link ExitCode#BUG}.
 */
final class Errors {
    /** Redis replies that mean "not now" rather than "no": a restart, a failover, a script running long. */
    private static final List<String> NOT_YET = List.of("LOADING", "MASTERDOWN", "CLUSTERDOWN", "TRYAGAIN", "BUSY");

    private Errors() {}

    /** Picocli's handler of a bad command line: the message and where the help is, no usage dump. */
    static int badUsage(ParameterException e, String[] args) {
        CommandLine cli = e.getCommandLine();
        String line = e.getMessage();
        if (e instanceof UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            line += "; did you mean " + String.join(" or ", u.getSuggestions()) + "?";
        }
        cli.getErr().println("seriatim: " + line + " (see '" + cli.getCommandSpec().qualifiedName() + " --help')");
        cli.getErr().flush();
        return ExitCode.USAGE;
    }

    /** Picocli's handler of what a command threw. */
    static int report(Exception thrown, CommandLine cli, CommandLine.ParseResult parsed) {
        // Picocli passes an Error (say, NoClassDefFoundError) wrapped in its ExecutionException.
        Throwable e = thrown instanceof ExecutionException && thrown.getCause() != null ? thrown.getCause() : thrown;
        PrintWriter err = cli.getErr();
        String redis = redisAddress(cli);
        String unavailable = redisUnavailable(e, redis);
        String usage = unavailable == null ? userMistake(e, redis) : null;
        SubmitException gateway = unavailable == null && usage == null ? gatewayRefusal(e) : null;
        RedisException refused = unavailable == null && usage == null && gateway == null ? redisRefusal(e) : null;
        int code;
        if (gateway != null && gateway.code() == SubmitException.Code.UNREACHABLE) {
            err.println("seriatim: " + gateway.getMessage() + ": check that a gateway runs there and that --gateway names it");
            code = ExitCode.REDIS_UNAVAILABLE;
        } else if (gateway != null) {
            err.println("seriatim: " + gateway.getMessage());
            code = ExitCode.USAGE;
        } else if (refused != null) {
            // Redis answered and refused this operation (a script's refusal, a key of the wrong type):
            // the command ran and the answer is no.
            err.println("seriatim: " + refused.getMessage());
            code = ExitCode.FAILED;
        } else if (unavailable != null) {
            err.println("seriatim: " + unavailable + ": check that Redis runs there and that --redis (or SERIATIM_REDIS) names it");
            code = ExitCode.REDIS_UNAVAILABLE;
        } else if (usage != null) {
            err.println("seriatim: " + usage);
            code = ExitCode.USAGE;
        } else if (e instanceof OutOfMemoryError) {
            err.println("seriatim: out of memory (" + e.getMessage() + "): give the JVM more with SERIATIM_JAVA_OPTS=-Xmx...");
            code = ExitCode.FAILED;
        } else {
            err.println("seriatim: unexpected error, a bug in seriatim; please report it with the trace below: " + e);
            e.printStackTrace(err);
            code = ExitCode.BUG;
        }
        err.flush();
        return code;
    }

    /** Redis's refusal of an operation, as core's RedisErrors words it; null if {@code e} is none. */
    private static RedisException redisRefusal(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RedisException r && !(t instanceof RedisUnavailableException)) {
                return r;
            }
        }
        return null;
    }

    /** The client's refusal to start when the gateway cannot be reached or refuses this producer; null otherwise. */
    private static SubmitException gatewayRefusal(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SubmitException s && (s.code() == SubmitException.Code.UNREACHABLE
                    || s.code() == SubmitException.Code.REFUSED_CONNECTION)) {
                return s;
            }
        }
        return null;
    }

    /**
     * "Redis at ADDRESS unavailable (REASON)" when {@code e} says that Redis could not be reached
     * or cannot answer yet, which is worth waiting for; null otherwise.
     *
     * @param address the Redis address as it may be shown (no password), or null if not known
     */
    static String redisUnavailable(Throwable e, String address) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RedisUnavailableException && t.getCause() != null) {
                // core's wrap names what it was doing; the reason and the kind are in Jedis' cause,
                // which may also show a mistake (a Cluster address naming a single server).
                String deeper = redisUnavailable(t.getCause(), address);
                if (deeper != null || userMistake(t.getCause(), address) != null) {
                    return deeper;
                }
            }
            boolean notYet = t instanceof JedisDataException && !(t instanceof JedisAccessControlException)
                    && t.getMessage() != null && NOT_YET.stream().anyMatch(t.getMessage()::startsWith);
            // A Cluster client that got an error reply from a seed node reached a server: see userMistake.
            boolean clusterUnreachable = t instanceof JedisClusterOperationException && !hasErrorReply(t);
            if (t instanceof RedisUnavailableException || t instanceof JedisConnectionException || clusterUnreachable
                    || notYet) {
                return (address == null ? "Redis" : "Redis at " + address) + " unavailable (" + reason(t) + ")";
            }
        }
        return null;
    }

    /** The line for a mistake the user can correct, or null if {@code e} is none. */
    private static String userMistake(Throwable e, String address) {
        String redis = address == null ? "Redis" : "Redis at " + address;
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t.getMessage() == null ? "" : t.getMessage();
            if (t instanceof JedisAccessControlException) {
                return redis + " refused the login (" + firstSentence(message)
                        + "): give the right user and password in --redis, as redis://user:password@host:port";
            }
            if (t instanceof JedisClusterOperationException && hasErrorReply(t)) {
                return redis + " is not a Redis Cluster (" + errorReply(t)
                        + "): for a single server write redis://host:port";
            }
            if (t instanceof JedisDataException && message.contains("DB index is out of range")) {
                return redis + " has no such database (" + message + "): use a number below its 'databases' setting";
            }
            if (t instanceof JedisDataException && message.startsWith("READONLY")) {
                return redis + " is a read-only replica: point --redis at the primary";
            }
            if (t instanceof UncheckedIOException io && io.getMessage() != null) {
                return withReason(io.getMessage(), io.getCause());
            }
            if (t instanceof IOException io) {
                return withReason(io instanceof FileSystemException f && f.getFile() != null ? f.getFile() : "", io);
            }
            if (t instanceof IllegalArgumentException && t.getMessage() != null && !(t instanceof NumberFormatException)) {
                return t.getMessage();
            }
        }
        return null;
    }

    /** What went wrong with a file or a socket, in a few words: "no such file or directory", "Connection refused". */
    static String reason(Throwable e) {
        IOException io = firstIo(e);
        if (io instanceof UnknownHostException) {
            return "unknown host " + io.getMessage();
        }
        if (io instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (io instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (io instanceof NotDirectoryException) {
            return "not a directory";
        }
        if (io instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        if (io instanceof FileNotFoundException && io.getMessage() != null && io.getMessage().endsWith(")")) {
            String m = io.getMessage(); // "/a/b (No such file or directory)"
            return m.substring(m.lastIndexOf('(') + 1, m.length() - 1);
        }
        if (io != null && io.getMessage() != null) {
            return io.getMessage();
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.endsWith(".") ? message.substring(0, message.length() - 1) : message;
    }

    /** The innermost I/O cause, through causes and suppressed exceptions (Jedis puts the socket's there). */
    private static IOException firstIo(Throwable e) {
        if (e == null) {
            return null;
        }
        IOException deeper = firstIo(e.getCause());
        for (Throwable s : e.getSuppressed()) {
            deeper = deeper != null ? deeper : firstIo(s);
        }
        return deeper != null ? deeper : e instanceof IOException io ? io : null;
    }

    private static String withReason(String what, Throwable cause) {
        if (cause == null) {
            return what;
        }
        String reason = reason(cause);
        return what.isEmpty() ? reason : what.contains(reason) ? what : what + ": " + reason;
    }

    private static boolean hasErrorReply(Throwable t) {
        return errorReply(t) != null;
    }

    private static String errorReply(Throwable t) {
        for (Throwable s : t.getSuppressed()) {
            if (s instanceof JedisDataException && s.getMessage() != null) {
                return s.getMessage();
            }
        }
        return null;
    }

    private static String firstSentence(String message) {
        int end = message.indexOf(',');
        return end < 0 ? message : message.substring(0, end);
    }

    /** The failing command's {@code --redis} value, without its password; null if it has none. */
    private static String redisAddress(CommandLine cli) {
        OptionSpec option = cli.getCommandSpec().findOption("--redis");
        Object value = option == null ? null : option.getValue();
        return value == null ? null : RedisOptions.shown(value.toString());
    }
}
