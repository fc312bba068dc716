package io.pyromesh.cli;

import io.pyromesh.Pyro;
import io.pyromesh.config.ConfigException;
import io.pyromesh.config.PyroConfig;
import io.pyromesh.config.PyroLogging;
import io.pyromesh.errors.PyroError;
import io.pyromesh.errors.RemoteException;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code pyromesh}: one launcher for every Pyromesh process and tool. */
@Command(name = "pyromesh",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        // every subcommand answers --version (and the standard options) as the launcher does
        scope = CommandLine.ScopeType.INHERIT,
        description = "Pyro's remote objects over gRPC: servers, name server, mesh and tools.")
public final class Main implements Runnable {
    /** The subcommands, in the order help lists them. */
    private static final List<Class<?>> SUBCOMMANDS = List.of(DemoCommand.class, NsCommand.class, NscCommand.class, EchoCommand.class,
            CallCommand.class, CheckConfigCommand.class, GatewayCommand.class, ResolveCommand.class, SidecarCommand.class,
            CommandLine.HelpCommand.class);

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the launcher and returns its exit status: 0 ok, 1 an error, 2 a usage mistake. */
    static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        // picocli builds the model of every subcommand it is given, by reflection, in its interpreted
        // Java 5 classes (which no class archive holds): ~0.1 s of every start-up. A command line that
        // names a subcommand gets only that one; anything else (help, --version, a typo) gets them all.
        Class<?> named = args.length == 0 ? null : SUBCOMMANDS.stream()
                .filter(command -> command.getAnnotation(Command.class).name().equals(args[0])).findFirst().orElse(null);
        boolean all = named == null || named == CommandLine.HelpCommand.class;
        for (Class<?> command : all ? SUBCOMMANDS : List.of(named)) {
            cli.addSubcommand(command);
        }
        cli.setExecutionExceptionHandler(Main::report);
        // like Pyro, refuse to run with a bad PYRO_* setting, before any command starts (help still works)
        cli.setExecutionStrategy(parsed -> {
            try {
                PyroLogging.configure(PyroConfig.current());
            } catch (ConfigException bad) {
                return report(bad, parsed.commandSpec().commandLine(), parsed);
            }
            return new CommandLine.RunLast().execute(parsed);
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Errors become one readable line on stderr (remote ones with their remote traceback), never a Java stack trace. */
    private static int report(Exception error, CommandLine command, CommandLine.ParseResult parsed) {
        PrintWriter err = command.getErr();
        if (error instanceof RemoteException remote) {
            err.print(remote.getRemoteTraceback());
        } else if (error instanceof PyroError pyro) {
            err.println("Error: " + pyro.pyroName() + " - " + pyro.getMessage());
        } else if (error instanceof ConfigException config) {
            err.println("Error: invalid configuration - " + config.getMessage());
        } else if (error instanceof IllegalArgumentException bad) {
            err.println("Error: " + bad.getMessage());
        } else if (error instanceof CommandLine.ParameterException usage) {
            err.println(usage.getMessage());
            return 2;
        } else {
            err.println("Error: " + error);
        }
        err.flush();
        return 1;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"pyromesh " + Pyro.VERSION};
        }
    }
}
