package io.seriatim.cli;

import io.seriatim.core.queue.KeyedQueue;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import redis.clients.jedis.UnifiedJedis;

/**
 * Base of the commands that act on one namespace and exit: opens Redis and the namespace, runs,
 * closes. Errors are turned into exit codes by {@link Seriatim}'s handler.
 */
abstract class OperatorCommand implements Callable<Integer> {
    @Mixin
    RedisOptions redis;

    @Mixin
    NamespaceOption namespace;

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() {
        try (UnifiedJedis client = redis.connect()) {
            return run(namespace.open(client), spec.commandLine().getOut());
        }
    }

    abstract int run(KeyedQueue queue, PrintWriter out);
}
