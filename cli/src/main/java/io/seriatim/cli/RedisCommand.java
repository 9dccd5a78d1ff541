package io.seriatim.cli;

import io.seriatim.localredis.RedisBinary;
import io.seriatim.localredis.RedisServer;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "redis", mixinStandardHelpOptions = true,
        description = {"Run a redis-server for trying Seriatim out: the one on the PATH, else the one the "
                + "embedded-redis jar ships (6.2). Loopback only, AOF on, in a temporary directory. Ctrl-C stops it."})
final class RedisCommand implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "6379", description = "port (default ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--embedded", description = "use the embedded 6.2 binary even if redis-server is on the PATH")
    boolean embedded;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Flags.atLeast("--port", port, 1);
        // redis-server would exit on a port in use, and its start-up check could then reach the other server.
        Flags.listenable("--port", "127.0.0.1", port);
        PrintWriter out = spec.commandLine().getOut();
        RedisServer server = RedisServer.start(embedded ? RedisBinary.embedded() : RedisBinary.resolve(), port, List.of());
        out.println("redis-server " + server.version() + " on redis://127.0.0.1:" + port + " (data in "
                + server.dataDir() + "); Ctrl-C stops it");
        out.flush();
        Await.untilShutdown(server::close);
        return ExitCode.OK;
    }
}
