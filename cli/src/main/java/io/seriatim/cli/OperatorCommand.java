package io.seriatim.cli;

import io.seriatim.core.queue.KeyedQueue;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import redis.clients.jedis.UnifiedJedis;

/**
 * Base of the commands that act on one namespace and exit: opens Redis and the namespace, runs,
 * prints the answer (text, or one JSON object with {@code --json}), closes. Errors are turned
 * into exit codes by {@link Seriatim}'s handler.
 */
abstract class OperatorCommand implements Callable<Integer> {
    @Mixin
    RedisOptions redis;

    @Mixin
    NamespaceOption namespace;

    @Option(names = "--json", description = "one JSON object instead of text")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() {
        try (UnifiedJedis client = redis.connect()) {
            return run(namespace.open(client)).print(spec.commandLine().getOut(), json);
        }
    }

    abstract Answer run(KeyedQueue queue);
}
