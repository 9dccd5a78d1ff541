package io.seriatim.cli;

import io.seriatim.core.queue.KeyedQueue;
import picocli.CommandLine.Option;
import redis.clients.jedis.UnifiedJedis;

/** The namespace an operator command acts on. */
public final class NamespaceOption {
    @Option(names = {"-n", "--namespace"}, paramLabel = "NAME",
            defaultValue = "${env:SERIATIM_NAMESPACE:-default}",
            description = "namespace (env SERIATIM_NAMESPACE; default ${DEFAULT-VALUE})")
    String name;

    /** Opens an existing namespace: operators must not create one by a typo. */
    public KeyedQueue open(UnifiedJedis redis) {
        return KeyedQueue.openExisting(redis, name);
    }
}
