package io.seriatim.cli;

import com.codahale.metrics.MetricRegistry;
import io.seriatim.metrics.MetricsEndpoint;
import io.seriatim.worker.JobHandler;
import io.seriatim.worker.Worker;
import io.seriatim.worker.WorkerSettings;
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
            "--handler names a public class with a public no-argument constructor implementing "
                    + "io.seriatim.worker.JobHandler; --classpath (or SERIATIM_CLASSPATH) lists the jars it and its "
                    + "dependencies are in. Without --handler the worker logs each job.",
            "Example: seriatim worker -n comments --handler com.example.SaveComment --classpath 'save-comment.jar:lib/*'"})
final class WorkerCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger("io.seriatim.jobs");

    @Mixin WorkerOptions options;
    @Mixin MetricsOption metrics;
    @Mixin RedisAtStart startup;
    @Spec CommandSpec spec;

    @Option(names = "--handler", paramLabel = "CLASS", description = "JobHandler class, from --classpath (default: log each job)")
    String handlerClass;

    @Option(names = "--classpath", paramLabel = "JARS", defaultValue = "${env:SERIATIM_CLASSPATH}",
            description = "jars and class directories of the handler and its dependencies, ':'-separated; "
                    + "DIR/* is every jar in DIR, quote it (env SERIATIM_CLASSPATH)")
    String classpath;

    @Override
    public Integer call() throws Exception {
        // Before anything connects to Redis: a wrong jar or class name is a usage error, reported at once.
        JobHandler handler = handlerClass == null
                ? (job, ctx) -> log.info("key={} job={} fence={} attempt={} {} bytes", job.key(), job.id(), job.fence(),
                        job.attempt(), job.payload().length)
                : load(handlerClass, classpath);
        WorkerSettings settings = options.build();
        // Everything that can be checked or bound without Redis comes before the first claim: a
        // worker that failed after it claimed would leave its leases to expire, each an attempt.
        MetricRegistry registry = new MetricRegistry();
        MetricsEndpoint endpoint = metrics.bind(registry, spec.commandLine().getOut());
        Worker worker = MetricsOption.startBound(endpoint, () -> startup.start(options.redis, () -> Worker.start(settings, handler, registry)));
        UnifiedJedis probe;
        try {
            probe = options.redis.connect(); // after the start: a Cluster client connects as it is made
            MetricsOption.serveHealth(endpoint, RedisHealth.of(probe));
            spec.commandLine().getOut().println("worker serving namespace " + options.namespace + " (concurrency "
                    + options.concurrency + "), Redis " + options.redis.shown());
            spec.commandLine().getOut().flush();
        } catch (RuntimeException e) {
            worker.close(); // releases the keys it holds: a release is not an attempt, an expiry is
            MetricsOption.close(endpoint);
            throw e;
        }
        Await.untilShutdown(() -> {
            worker.close();
            if (endpoint != null) {
                endpoint.close();
            }
            probe.close();
        });
        return ExitCode.OK;
    }

    private static JobHandler load(String name, String classpath) {
        UserClasses classes = UserClasses.open(classpath);
        try {
            return inContextOf(classes.loader(), classes.newInstance("--handler", name, JobHandler.class));
        } catch (RuntimeException e) {
            classes.close();
            throw e;
        }
    }

    /**
     * Runs each job with the user's loader as the thread's context class loader, since libraries
     * in the user's jars (JDBC drivers, ServiceLoader lookups) find their classes through it.
     */
    private static JobHandler inContextOf(ClassLoader loader, JobHandler handler) {
        return (job, context) -> {
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            thread.setContextClassLoader(loader);
            try {
                handler.handle(job, context);
            } finally {
                thread.setContextClassLoader(previous);
            }
        };
    }
}
