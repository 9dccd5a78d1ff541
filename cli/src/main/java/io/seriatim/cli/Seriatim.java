package io.seriatim.cli;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.PropertiesDefaultProvider;
import picocli.CommandLine;

/**
 * The {@code seriatim} command. Settings come from flags, then a properties file (option names
 * without dashes, e.g. {@code redis=redis://10.0.0.5:6379}; {@code $SERIATIM_CONFIG}, else
 * {@code ~/.seriatim.properties}), then environment variables, then built-in defaults.
 */
@Command(name = "seriatim", mixinStandardHelpOptions = true, version = "seriatim 0.1.0",
        description = "Keyed-ordering job processor on Redis: one key's jobs run in order, keys in parallel.",
        footer = {"", "The tools demo, bench and faults live in seriatim-tools.jar; the ./seriatim launcher runs them."},
        subcommands = {
            RedisCommand.class,
            GatewayCommand.class,
            WorkerCommand.class,
            SweeperCommand.class,
            SubmitCommand.class,
            VerifyProduceCommand.class,
            VerifyConsumeCommand.class,
            VerifyCheckCommand.class,
            StatsCommand.class,
            InspectCommand.class,
            KeysCommand.class,
            DlqCommand.class,
            ParkCommand.class,
            UnparkCommand.class,
            PauseCommand.class,
            ResumeCommand.class,
            NamespaceCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Seriatim implements Runnable {
    @picocli.CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        // A library's pool thread that dies (Jedis' cluster pipeline, when a node vanishes mid-reply)
        // says so in one line, not a stack trace: the call it served reports its own failure.
        Thread.setDefaultUncaughtExceptionHandler((thread, e) ->
                System.err.println("seriatim: thread " + thread.getName() + " died: " + e));
        System.exit(commandLine().execute(args));
    }

    /**
     * The configured command line, with {@code extraSubcommands} (picocli commands such as the
     * tools' demo and bench) added before the settings, so that they get the same defaults and
     * error handling; tests call {@code execute} on it directly.
     */
    public static CommandLine commandLine(Object... extraSubcommands) {
        CommandLine cli = new CommandLine(new Seriatim());
        // No picocli argument files: `seriatim submit KEY @FILE` reads FILE as the payload, which
        // picocli would otherwise split into arguments before the command saw it.
        cli.setExpandAtFiles(false);
        for (Object command : extraSubcommands) {
            cli.addSubcommand(command);
        }
        // After the extra subcommands: picocli registers a converter only with the commands it has.
        cli.registerConverter(Duration.class, new DurationConverter());
        cli.setCaseInsensitiveEnumValuesAllowed(true); // --failure-policy park, --top AGE
        String config = System.getenv("SERIATIM_CONFIG");
        if (config != null && !Files.isReadable(Path.of(config))) {
            // Running on built-in defaults would hide the mistake: refuse every command instead.
            cli.setExecutionStrategy(parsed -> {
                throw new ParameterException(cli, "SERIATIM_CONFIG names " + config
                        + ", which is not a readable file; fix or unset SERIATIM_CONFIG");
            });
        } else {
            cli.setDefaultValueProvider(config == null ? new PropertiesDefaultProvider()
                    : new PropertiesDefaultProvider(new File(config)));
        }
        cli.setParameterExceptionHandler(Errors::badUsage);
        cli.setExecutionExceptionHandler(Errors::report);
        return cli;
    }
}
