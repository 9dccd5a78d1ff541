package io.seriatim.cli;

import com.codahale.metrics.MetricRegistry;
import io.seriatim.cli.ops.MetricsEndpoint;
import io.seriatim.core.redis.RedisConnector;
import io.seriatim.worker.JobHandler;
import io.seriatim.worker.Worker;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import redis.clients.jedis.UnifiedJedis;

@Command(name = "worker", mixinStandardHelpOptions = true,
        description = {"Run a worker: claims keys and runs a JobHandler on each key's jobs in order.",
            "--handler names a class with a no-argument constructor implementing io.seriatim.worker.JobHandler "
                    + "(put its jar on SERIATIM_CLASSPATH); the default logs each job."})
final class WorkerCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger("io.seriatim.jobs");

    @Mixin WorkerOptions options;
    @Mixin MetricsOption metrics;
    @Spec CommandSpec spec;

    @Option(names = "--handler", paramLabel = "CLASS", description = "JobHandler class (default: log each job)")
    String handlerClass;

    @Override
    public Integer call() throws Exception {
        JobHandler handler = handlerClass == null
                ? (job, ctx) -> log.info("key={} job={} fence={} attempt={} {} bytes", job.key(), job.id(), job.fence(),
                        job.attempt(), job.payload().length)
                : load(handlerClass);
        MetricRegistry registry = new MetricRegistry();
        Worker worker = Worker.start(options.build(), handler, registry);
        UnifiedJedis probe = RedisConnector.connect(options.redis.settings());
        MetricsEndpoint endpoint = metrics.start(registry, RedisHealth.of(probe), spec.commandLine().getOut());
        spec.commandLine().getOut().println("worker serving namespace " + options.namespace + " (concurrency "
                + options.concurrency + "), Redis " + options.redis.address);
        spec.commandLine().getOut().flush();
        Await.untilShutdown(() -> {
            worker.close();
            if (endpoint != null) {
                endpoint.close();
            }
            probe.close();
        });
        return ExitCode.OK;
    }

    private static JobHandler load(String name) {
        try {
            Object o = Class.forName(name).getDeclaredConstructor().newInstance();
            if (o instanceof JobHandler h) {
                return h;
            }
            throw new IllegalArgumentException("--handler " + name + " does not implement io.seriatim.worker.JobHandler");
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("--handler " + name + " cannot be loaded: " + e);
        }
    }
}
