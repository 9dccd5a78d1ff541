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
                + "embedded-redis jar ships (6.2). Loopback only, in a temporary directory. Ctrl-C stops it."})
final class RedisCommand implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "6379", description = "port (default ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--embedded", description = "use the embedded 6.2 binary even if redis-server is on the PATH")
    boolean embedded;

    /** How the append-only file is synced: what a crash of the machine may lose. */
    enum Aof {
        /** fsync after every write: nothing acknowledged is lost, at the price of a disk sync per write. */
        always,
        /** fsync once a second: a machine crash loses up to a second of writes. */
        everysec,
        /** no AOF: a restart loses everything. For benchmarks and throwaway tries. */
        no
    }

    @Option(names = "--aof", defaultValue = "everysec", description = "append-only file: always, everysec or no "
            + "(default ${DEFAULT-VALUE}: a machine crash loses up to a second of writes)")
    Aof aof;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Flags.atLeast("--port", port, 1);
        // redis-server would exit on a port in use, and its start-up check could then reach the other server.
        Flags.listenable("--port", "127.0.0.1", port);
        PrintWriter out = spec.commandLine().getOut();
        List<String> persistence = aof == Aof.no ? List.of("--appendonly", "no") : List.of("--appendfsync", aof.name());
        RedisServer server = RedisServer.start(embedded ? RedisBinary.embedded() : RedisBinary.resolve(), port, persistence);
        out.println("redis-server " + server.version() + " on redis://127.0.0.1:" + port + " (data in "
                + server.dataDir() + ", AOF " + aof + "); Ctrl-C stops it");
        out.flush();
        Await.untilShutdown(server::close);
        return ExitCode.OK;
    }
}
