package org.outcalls.launcher.internal;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code outcalls} command. Exit codes: 0 success, 1 failure, 2 wrong usage. */
@Command(name = "outcalls",
        mixinStandardHelpOptions = true,
        versionProvider = Main.VersionProvider.class,
        description = "HTTPS outcalls agreed by a Byzantine fault-tolerant subnet of replicas.",
        subcommands = {RunCommand.class, CallCommand.class, IdentityCommand.class, BalanceCommand.class, StatusCommand.class, PluginsCommand.class, VerifyCommand.class, VerifyCupCommand.class, AdminCommand.class, KeygenCommand.class, SubnetCommand.class, ReplicaCommand.class, BackupCommand.class, RestoreCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main extends CommandGroup {
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        // A wrong flag: the error, picocli's suggestions if it has any, and always the usage.
        cl.setParameterExceptionHandler((e, args) -> {
            java.io.PrintWriter err = e.getCommandLine().getErr();
            err.println(e.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
            e.getCommandLine().usage(err);
            return ExitCodes.USAGE;
        });
        // A gateway address that is no URL is wrong usage, found when a client command builds its client.
        cl.setExecutionExceptionHandler((e, c, parsed) -> {
            if (e instanceof GatewayClient.BadGateway) {
                c.getErr().println(c.getCommandSpec().qualifiedName() + ": " + e.getMessage());
                return ExitCodes.USAGE;
            }
            throw e;
        });
        return cl;
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"outcalls " + LauncherInfo.version(), "Java " + System.getProperty("java.version")};
        }
    }
}
