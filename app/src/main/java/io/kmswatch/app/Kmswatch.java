package io.kmswatch.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code kmswatch} command. Exit codes: 0 ok, 1 runtime failure, 2 usage error.
 */
@Command(name = "kmswatch",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Watches AWS KMS keys through CloudTrail: ingest, detect, alert; with a KMS emulator.",
        subcommands = {
            BrokerCommand.class,
            ParseCommand.class,
            RulesCommand.class,
            BenchSubcommand.class,
            EmulatorCommand.class,
            DemoCommand.class,
            RunCommand.class,
            InventoryCommand.class,
            TrafficCommand.class,
            ReplayCommand.class,
            EvaluateCommand.class,
            IngestCommand.class,
            DetectCommand.class,
            AlertsCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Kmswatch implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Runs the command line and returns the exit code. */
    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new Kmswatch());
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("kmswatch: " + cmd.getCommandName() + ": " + messageOf(ex));
            return CommandLine.ExitCode.SOFTWARE;
        });
        return cli.execute(args);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static String messageOf(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }
}
