package org.outcalls.launcher.internal;

import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code outcalls identity new NAME|list|use NAME}: the keys this user signs calls with. A caller
 * of the subnet is its key: its principal owns its cycles account and its results.
 */
@Command(name = "identity", mixinStandardHelpOptions = true,
        description = {"Manage the keys you sign calls with: each is a caller (principal) with its own cycles account "
                + "in the proxy canister. Kept owner-only in $OUTCALLS_CONFIG, $XDG_CONFIG_HOME/outcalls or ~/.config/outcalls.",
                "Exit codes: 0 done, 2 wrong usage or no such identity."},
        subcommands = {IdentityCommand.New.class, IdentityCommand.ListIdentities.class, IdentityCommand.Use.class})
final class IdentityCommand extends CommandGroup {
    @Command(name = "new", mixinStandardHelpOptions = true, description = "Make a new identity (an Ed25519 key).")
    static final class New implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME", description = "Lower-case letters, digits, '.', '_', '-'.")
        String name;

        @Override
        public Integer call() {
            return run("new", () -> {
                Identities.Identity made = Identities.ofUser().create(name);
                System.out.println("created identity " + made.name() + ": principal " + made.principal() + " (key "
                        + made.file() + ")");
                System.out.println("use it with `outcalls identity use " + made.name() + "`; an admin of the subnet "
                        + "tops its account up with `outcalls admin top-up " + made.principal() + " CYCLES`");
            });
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List identities; * marks the current one.")
    static final class ListIdentities implements Callable<Integer> {
        @Override
        public Integer call() {
            return run("list", () -> {
                Identities ids = Identities.ofUser();
                String current = ids.currentName();
                for (String name : ids.names()) {
                    System.out.println((name.equals(current) ? "* " : "  ") + name + " " + ids.load(name).principal());
                }
                if (ids.names().isEmpty()) {
                    System.err.println("no identities yet in " + ids.folder() + "; `outcalls call` makes 'default' on "
                            + "first use, `outcalls identity new NAME` makes one now");
                }
            });
        }
    }

    @Command(name = "use", mixinStandardHelpOptions = true, description = "Sign calls with this identity from now on.")
    static final class Use implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            return run("use", () -> {
                Identities ids = Identities.ofUser();
                ids.use(name);
                System.out.println("now using identity " + name + " (principal " + ids.load(name).principal() + ")");
            });
        }
    }

    private interface Action {
        void run() throws IOException;
    }

    private static int run(String sub, Action action) {
        try {
            action.run();
            return ExitCodes.OK;
        } catch (IllegalArgumentException e) {
            System.err.println("outcalls identity " + sub + ": " + e.getMessage());
            return ExitCodes.USAGE;
        } catch (IOException e) {
            System.err.println("outcalls identity " + sub + ": " + e.getMessage());
            return ExitCodes.USAGE;
        }
    }
}
