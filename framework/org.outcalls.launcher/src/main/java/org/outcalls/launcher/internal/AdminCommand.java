package org.outcalls.launcher.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.outcalls.crypto.Hash;
import org.outcalls.crypto.NodeKey;
import org.outcalls.replica.IngressMessage;
import org.outcalls.replica.ManagementCanister;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code outcalls admin enable|disable NAME[@VERSION]}: changes the subnet registry ({@link MemberCommands}
 * change its members). The command
 * signs the admin message here with the subnet's admin key and the gateway relays the signed bytes
 * ({@code POST /api/v1/ingress}); the change takes effect at the height of the block that executes
 * it, on every replica, and the command prints that height.
 */
@Command(name = "admin", mixinStandardHelpOptions = true,
        description = {"Change the subnet registry with a signed admin message: enable or disable an agreement policy "
                + "or the methods plugin (takes effect at the height of its block), or replace, add or remove a member "
                + "(takes effect 64 heights after its block), on every replica. "
                + "Also: top up a caller's cycles account, and manage the gateway's API keys.",
                "Exit codes: 0 done, 1 refused by the subnet, 2 wrong usage or no admin key, 3 subnet unreachable or no "
                        + "answer in time."},
        subcommands = {AdminCommand.Enable.class, AdminCommand.Disable.class, MemberCommands.Replace.class,
                MemberCommands.Add.class, MemberCommands.Remove.class, TopUpCommand.class, ApiKeyCommand.class})
final class AdminCommand extends CommandGroup {
    /** How long a signed admin message stays valid: within the replicas' limit of 5 minutes ahead. */
    static final Duration EXPIRY = Duration.ofMinutes(4);

    /** Options the subcommands that sign admin messages take. */
    static final class Target {
        @Option(names = "--key", paramLabel = "FILE", description = "The subnet's admin key (PKCS#8 PEM, readable by "
                + "its owner only). Default: <data>/replicas/admin.key, which `outcalls run` creates.")
        Path key;

        @Option(names = "--data", paramLabel = "DIR", description = "The data folder of the `outcalls run` whose admin "
                + "key to use (default: <home>/data).")
        Path data;

        @Option(names = "--gateway", paramLabel = "URL", description = "The subnet's gateway (default: $OUTCALLS_GATEWAY or "
                + GatewayClient.DEFAULT_GATEWAY + ").")
        String gateway;

        @Option(names = "--subnet-id", paramLabel = "HEX", description = "The subnet the message is signed for (the "
                + "signature covers it, so the message is valid on no other subnet). Default: the gateway's subnet; given, "
                + "a gateway of another subnet is refused.")
        String subnetId;

        @Option(names = "--timeout", paramLabel = "SECONDS", description = "How long to wait for the block that executes "
                + "the change (default 60; 0: do not wait).")
        int timeoutSeconds = 60;

        /** Set by {@code enable --force}. */
        boolean force;

        Path keyFile() {
            return key != null ? key : Layout.of(Layout.detectHome(), data).data().resolve("replicas").resolve("admin.key");
        }
    }

    @Command(name = "enable", mixinStandardHelpOptions = true,
            description = {"Enable a plugin (agreement policy, transform or methods) in the subnet registry at a version "
                    + "(enable_plugin name@version): requests made from then on use that version; requests in flight "
                    + "keep the one they were made with.",
                    "Without @VERSION, the version installed on the gateway's node is taken, if exactly one is.",
                    "Refused, unless --force, while fewer than n - f replicas have that version installed."})
    static final class Enable implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME[@VERSION]", description = "For example median or shout@1.0.1.")
        String plugin;

        @Option(names = "--force", description = "Enable it even if fewer than n - f replicas have it installed (they "
                + "cannot serve requests that need it; the others decide).")
        boolean force;

        @Mixin
        Target target;

        @Override
        public Integer call() throws Exception {
            target.force = force;
            return run(ManagementCanister.ENABLE_PLUGIN, plugin, target);
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true,
            description = {"Disable a plugin in the subnet registry (disable_plugin name[@version]).",
                    "With @VERSION the subnet refuses the change unless exactly that version is enabled."})
    static final class Disable implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME[@VERSION]", description = "For example methods.")
        String plugin;

        @Mixin
        Target target;

        @Override
        public Integer call() throws Exception {
            return run(ManagementCanister.DISABLE_PLUGIN, plugin, target);
        }
    }

    static int run(String method, String plugin, Target target) throws InterruptedException {
        String who = "outcalls admin " + (ManagementCanister.ENABLE_PLUGIN.equals(method) ? "enable" : "disable");
        PluginArgument parsed;
        try {
            parsed = PluginArgument.parse(plugin);
        } catch (IllegalArgumentException e) {
            System.err.println(who + ": " + e.getMessage());
            return ExitCodes.USAGE;
        }
        String name = parsed.name();
        String version = parsed.version();
        if (target.timeoutSeconds < 0) {
            System.err.println(who + ": --timeout must not be negative (was " + target.timeoutSeconds + ")");
            return ExitCodes.USAGE;
        }
        NodeKey key = adminKey(target, who);
        if (key == null) {
            return ExitCodes.USAGE;
        }
        GatewayClient client = new GatewayClient(target.gateway);
        try {
            if (version == null && ManagementCanister.ENABLE_PLUGIN.equals(method)) {
                version = installedVersion(client, name, who);
                if (version == null) {
                    return ExitCodes.USAGE;
                }
            }
            String argument = name + (version == null ? "" : "@" + version);
            if (ManagementCanister.ENABLE_PLUGIN.equals(method) && !target.force
                    && !PluginReadiness.ready(client.get("api/v1/subnet", Duration.ofSeconds(10)).json(), name, version, who)) {
                return ExitCodes.REJECTED;
            }
            Hash signedFor = subnetOf(client, target.subnetId, who);
            if (signedFor == null) {
                return ExitCodes.USAGE;
            }
            byte[] signed;
            try {
                signed = IngressMessage.sign(signedFor, ManagementCanister.ID, method, argument.getBytes(StandardCharsets.UTF_8),
                        new SecureRandom().nextLong() & Long.MAX_VALUE, System.currentTimeMillis() + EXPIRY.toMillis(), key)
                        .encode();
            } catch (IllegalArgumentException e) {
                System.err.println(who + ": " + e.getMessage());
                return ExitCodes.USAGE;
            }
            GatewayClient.Reply accepted = client.post("api/v1/ingress", "application/octet-stream", signed);
            if (accepted.status() != 202) {
                System.err.println(who + ": the gateway refused the message (" + accepted.status() + "): "
                        + accepted.errorMessage());
                return accepted.status() == 400 ? ExitCodes.REJECTED : ExitCodes.UNREACHABLE;
            }
            String id = accepted.json().path("id").asText();
            if (target.timeoutSeconds == 0) {
                System.out.println(method + " " + argument + " submitted as " + id);
                return ExitCodes.OK;
            }
            JsonNode outcome = await(client, id, Duration.ofSeconds(target.timeoutSeconds));
            String status = outcome == null ? "received" : outcome.path("status").asText();
            switch (status) {
                case "executed" -> {
                    long height = outcome.path("height").asLong();
                    JsonNode subnet = client.get("api/v1/subnet", Duration.ofSeconds(10)).json();
                    System.out.println(method + " " + argument + ": done at height " + height + "; registry version "
                            + subnet.path("registry_version").asLong() + ", enabled plugins " + subnet.path("enabled_plugins"));
                    List<String> lacking = lacking(subnet, name);
                    if (!lacking.isEmpty()) {
                        System.err.println(who + ": warning: replicas " + lacking + " do not have " + argument
                                + " installed; they will not fetch or validate what needs it until it is");
                    }
                    return ExitCodes.OK;
                }
                case "received" -> {
                    System.err.println(who + ": no block executed " + id + " within " + target.timeoutSeconds
                            + " s; look it up later with GET " + client.base() + "api/v1/ingress/" + id);
                    return ExitCodes.UNREACHABLE;
                }
                default -> {
                    System.err.println(who + ": the subnet refused " + argument + " (" + status
                            + (outcome.has("height") ? " at height " + outcome.path("height").asLong() : "") + "): "
                            + outcome.path("message").asText(""));
                    return ExitCodes.REJECTED;
                }
            }
        } catch (GatewayClient.Unreachable e) {
            System.err.println(who + ": " + e.getMessage());
            return ExitCodes.UNREACHABLE;
        }
    }

    /** The admin key the target names, or null (and why on stderr). */
    static NodeKey adminKey(Target target, String who) {
        Path keyFile = target.keyFile();
        try {
            if (!Files.exists(keyFile)) {
                System.err.println(who + ": no admin key at " + keyFile + "; give the subnet's admin key with --key FILE "
                        + "(`outcalls run` keeps it in <data>/replicas/admin.key)");
                return null;
            }
            return NodeKey.load(keyFile);
        } catch (IOException e) {
            System.err.println(who + ": cannot use the admin key " + keyFile + ": " + e.getMessage());
            return null;
        }
    }

    /** The subnet to sign for: the gateway's, which must be {@code pinned} if given; null (and why on stderr) if not. */
    static Hash subnetOf(GatewayClient client, String pinned, String who)
            throws GatewayClient.Unreachable, InterruptedException {
        String served = client.get("api/v1/subnet", Duration.ofSeconds(10)).json().path("subnet_id").asText("");
        if (pinned != null && !pinned.strip().equalsIgnoreCase(served)) {
            System.err.println(who + ": the gateway serves subnet " + (served.isEmpty() ? "(none)" : served)
                    + ", not --subnet-id " + pinned.strip());
            return null;
        }
        try {
            return Hash.fromHex(served);
        } catch (IllegalArgumentException e) {
            System.err.println(who + ": the gateway reports no valid subnet id ('" + served + "')");
            return null;
        }
    }

    /** The one installed version of an agreement policy, a transform or {@code methods}, or null (and why on stderr). */
    private static String installedVersion(GatewayClient client, String name, String who)
            throws GatewayClient.Unreachable, InterruptedException {
        JsonNode installed = client.get("api/v1/subnet", Duration.ofSeconds(10)).json().path("installed_plugins");
        List<String> versions = new ArrayList<>();
        for (String kind : List.of("policies", "transforms", "methods")) {
            for (JsonNode entry : installed.path(kind)) {
                String e = entry.asText();
                if (e.startsWith(name + "@")) {
                    versions.add(e.substring(name.length() + 1));
                }
            }
        }
        if (versions.size() == 1) {
            return versions.get(0);
        }
        System.err.println(who + ": " + (versions.isEmpty() ? "no plugin '" + name
                + "' is installed on the gateway's node; give NAME@VERSION, or install it first"
                : "'" + name + "' is installed at versions " + versions + "; give NAME@VERSION"));
        return null;
    }

    /** Waits until the message has left the pool; null if it is still there when the time is up. */
    static JsonNode await(GatewayClient client, String id, Duration timeout)
            throws GatewayClient.Unreachable, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = Math.max(1, Math.min(30, (deadline - System.nanoTime()) / 1_000_000_000L));
            GatewayClient.Reply r = client.get("api/v1/ingress/" + id + "?wait=" + left, Duration.ofSeconds(left + 10));
            if (r.status() != 200) {
                throw new GatewayClient.Unreachable("looking up " + id + " failed (" + r.status() + "): " + r.errorMessage());
            }
            if (!"received".equals(r.json().path("status").asText())) {
                return r.json();
            }
            if (System.nanoTime() >= deadline) {
                return null;
            }
        }
    }

    private static List<String> lacking(JsonNode subnet, String name) {
        List<String> out = new ArrayList<>();
        for (JsonNode r : subnet.path("replicas")) {
            for (JsonNode m : r.path("missing_plugins")) {
                if (m.asText().startsWith(name + "@")) {
                    out.add(r.path("index").asText());
                }
            }
        }
        return out;
    }
}
