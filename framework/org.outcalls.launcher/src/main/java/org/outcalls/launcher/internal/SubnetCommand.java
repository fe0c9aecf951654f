package org.outcalls.launcher.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.outcalls.crypto.PublicKey;
import org.outcalls.replica.multihost.ReplicaConfig;
import org.outcalls.replica.multihost.SubnetInit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code outcalls subnet init}: the configuration of a multi-host subnet. */
@Command(name = "subnet", mixinStandardHelpOptions = true,
        description = "Set up a subnet whose replicas run on different hosts.",
        subcommands = {SubnetCommand.Init.class})
final class SubnetCommand extends CommandGroup {
    @Command(name = "init", mixinStandardHelpOptions = true,
            description = {"Write one configuration folder per replica (OUT/replica-I: replica.json and, unless --keys "
                    + "gives the public keys, node.key), the admin key (OUT/admin.key) and a summary (OUT/subnet.txt). "
                    + "Copy replica-I to its host and start it with 'outcalls replica --config replica-I/replica.json'."})
    static final class Init implements Callable<Integer> {
        @Option(names = "--replicas", paramLabel = "N", required = true, description = "Replicas in the subnet.")
        int replicas;

        @Option(names = "--hosts", paramLabel = "HOST:PORT", split = ",", required = true,
                description = "Where each replica listens for its peers, in replica order (comma-separated).")
        List<String> hosts;

        @Option(names = "--out", paramLabel = "DIR", required = true, description = "Folder to write into (new or empty).")
        Path out;

        @Option(names = "--keys", paramLabel = "KEY", split = ",",
                description = "Each replica's public key from 'outcalls keygen' on its host: hex, or a node.pub file; "
                        + "'-' generates one here. Default: generate all here.")
        List<String> keys;

        @Option(names = "--http-port", paramLabel = "P", defaultValue = "7450",
                description = "Gateway port of each replica (the second replica on one host gets P+1, ...; 0 picks a free one). "
                        + "Default: ${DEFAULT-VALUE}.")
        int httpPort;

        @Option(names = "--no-gateway", description = "No REST gateway on any replica.")
        boolean noGateway;

        @Option(names = "--plugins", paramLabel = "NAME", split = ",",
                description = "Plugins the genesis registry enables (default: two-thirds, single-replica, median, methods).")
        List<String> plugins;

        @Option(names = "--rank-delay-ms", paramLabel = "MS", defaultValue = "300", description = "Consensus rank delay Δ (default: ${DEFAULT-VALUE}).")
        long rankDelayMs;

        @Option(names = "--heartbeat-ms", paramLabel = "MS", defaultValue = "1000", description = "Block interval of an idle subnet (default: ${DEFAULT-VALUE}).")
        long heartbeatMs;

        @Option(names = "--checkpoint-interval", paramLabel = "HEIGHTS", defaultValue = "100",
                description = "A state checkpoint every this many heights (default: ${DEFAULT-VALUE}).")
        long checkpointInterval;

        @Option(names = "--retain-heights", paramLabel = "HEIGHTS", defaultValue = "10000",
                description = "Finalized blocks each replica keeps for restarts and peers (default: ${DEFAULT-VALUE}).")
        long retainHeights;

        @Option(names = "--retain-checkpoints", paramLabel = "N", defaultValue = "2", description = "Checkpoints kept (default: ${DEFAULT-VALUE}).")
        int retainCheckpoints;

        @Option(names = "--sync", description = "Flush every store commit to the device (survives power loss, slower).")
        boolean sync;

        @Option(names = "--consensus-timeout-ms", paramLabel = "MS", defaultValue = "60000", hidden = true,
                description = "Outcall consensus timeout (block time).")
        long consensusTimeoutMs;

        @Override
        public Integer call() throws Exception {
            if (replicas < 1) {
                return usage("--replicas must be at least 1 (was " + replicas + ")");
            }
            if (hosts.size() != replicas) {
                return usage("--hosts lists " + hosts.size() + " addresses for " + replicas + " replicas");
            }
            if (httpPort < 0 || httpPort > 65535) {
                return usage("--http-port must be within 0..65535 (was " + httpPort + ")");
            }
            List<Optional<PublicKey>> pubs = new ArrayList<>();
            if (keys == null) {
                hosts.forEach(h -> pubs.add(Optional.empty()));
            } else {
                if (keys.size() != replicas) {
                    return usage("--keys lists " + keys.size() + " keys for " + replicas + " replicas ('-' to generate one)");
                }
                for (String k : keys) {
                    try {
                        pubs.add(parseKey(k.strip()));
                    } catch (IllegalArgumentException e) {
                        return usage("--keys: " + e.getMessage());
                    }
                }
            }
            SubnetInit.Plan plan;
            try {
                plan = new SubnetInit.Plan(hosts.stream().map(String::strip).toList(), pubs,
                        noGateway ? Optional.empty() : Optional.of(httpPort),
                        plugins == null ? SubnetInit.DEFAULT_PLUGINS : plugins, pluginVersion(),
                        SubnetInit.DEFAULT_PROXY_CYCLES, Duration.ofMillis(rankDelayMs), Duration.ofMillis(heartbeatMs),
                        new ReplicaConfig.Store(checkpointInterval, retainHeights, retainCheckpoints, sync),
                        consensusTimeoutMs);
            } catch (IllegalArgumentException e) {
                return usage(e.getMessage());
            }
            SubnetInit.Result r;
            try {
                r = SubnetInit.write(plan, out);
            } catch (IllegalArgumentException e) {
                return usage(e.getMessage());
            } catch (java.io.IOException e) {
                System.err.println("outcalls subnet init: " + e.getMessage());
                return 1;
            }
            System.out.print(Files.readString(out.resolve("subnet.txt"), StandardCharsets.UTF_8));
            System.out.println("wrote " + r.configs().size() + " replica configurations under " + out.toAbsolutePath()
                    + "; admin key " + r.adminKey().toAbsolutePath() + " (keep it off the replicas)");
            return ExitCodes.OK;
        }

        static Optional<PublicKey> parseKey(String k) {
            if (k.equals("-") || k.isEmpty()) {
                return Optional.empty();
            }
            String hex = k;
            if (!k.matches("[0-9a-fA-F]{64}")) {
                Path file = Path.of(k);
                if (!Files.isRegularFile(file)) {
                    throw new IllegalArgumentException("'" + k + "' is neither a 64-digit hex public key nor a node.pub file");
                }
                try {
                    hex = Files.readString(file, StandardCharsets.US_ASCII).strip();
                } catch (java.io.IOException e) {
                    throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
                }
                if (!hex.matches("[0-9a-fA-F]{64}")) {
                    throw new IllegalArgumentException(file + " does not hold a 64-digit hex public key");
                }
            }
            return Optional.of(PublicKey.fromHex(hex.toLowerCase(java.util.Locale.ROOT)));
        }

        /** Plugins are enabled at the distribution's version, as outcalls run does (major.minor.micro of the bundles). */
        private static String pluginVersion() {
            String v = LauncherInfo.version();
            int dash = v.indexOf('-');
            return dash < 0 ? v : v.substring(0, dash);
        }

        private static int usage(String message) {
            System.err.println("outcalls subnet init: " + message);
            return ExitCodes.USAGE;
        }
    }
}
