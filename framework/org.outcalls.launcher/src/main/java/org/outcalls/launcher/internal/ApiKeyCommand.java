package org.outcalls.launcher.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.outcalls.gateway.apikeys.ApiKey;
import org.outcalls.gateway.apikeys.ApiKeyStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code outcalls admin api-key create NAME|list|revoke NAME}: the API keys of a gateway, in its data
 * folder on this host. The gateway reads them at the next request; nothing goes over the network.
 */
@Command(name = "api-key", mixinStandardHelpOptions = true,
        description = {"Manage the gateway's API keys: a holder sends Authorization: Bearer KEY with unsigned calls "
                + "(POST /api/v1/outcalls) and the gateway signs them with that key's own identity, whose account pays.",
                "Exit codes: 0 done, 2 wrong usage or unreadable files."},
        subcommands = {ApiKeyCommand.Create.class, ApiKeyCommand.ListKeys.class, ApiKeyCommand.Revoke.class})
final class ApiKeyCommand extends CommandGroup {
    /** Where the gateway keeps its data. */
    static final class Folder {
        @Option(names = "--gateway-data", paramLabel = "DIR", description = "The gateway's data folder (default: "
                + "<data>/gateway, the one `outcalls run` and `outcalls replica` give their gateway).")
        Path gatewayData;

        @Option(names = "--data", paramLabel = "DIR", description = "The data folder of the `outcalls run` or `outcalls "
                + "replica` whose gateway to manage (default: <home>/data).")
        Path data;

        ApiKeyStore store() {
            return new ApiKeyStore(gatewayData != null ? gatewayData
                    : Layout.of(Layout.detectHome(), data).data().resolve("gateway"));
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Make a key; its secret is shown once.")
    static final class Create implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME", description = "Who holds it: lower-case letters, digits, '.', '_', '-'.")
        String name;

        @Mixin
        Folder folder;

        @Override
        public Integer call() {
            return run("create", () -> {
                ApiKeyStore.Created made = folder.store().create(name);
                System.out.println("api key " + name + ": " + made.secret());
                System.out.println("principal " + made.key().principal() + " (its calls are signed as, and paid from, "
                        + "this account: `outcalls admin top-up " + made.key().principal() + " CYCLES`)");
                System.err.println("the secret is shown only now; the gateway keeps its SHA-256 in "
                        + folder.store().folder().resolve(ApiKeyStore.FILE));
            });
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List keys: name, principal, created, revoked.")
    static final class ListKeys implements Callable<Integer> {
        @Mixin
        Folder folder;

        @Override
        public Integer call() {
            return run("list", () -> {
                for (ApiKey k : folder.store().list()) {
                    System.out.println(k.name() + " " + k.principal() + " created " + k.created()
                            + (k.isRevoked() ? " revoked " + k.revoked() : ""));
                }
            });
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Refuse a key from the next request on.")
    static final class Revoke implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Mixin
        Folder folder;

        @Override
        public Integer call() {
            return run("revoke", () -> {
                ApiKey k = folder.store().revoke(name);
                System.out.println("api key " + k.name() + " revoked " + k.revoked() + "; its principal's account stays");
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
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("outcalls admin api-key " + sub + ": " + e.getMessage());
            return ExitCodes.USAGE;
        }
    }
}
