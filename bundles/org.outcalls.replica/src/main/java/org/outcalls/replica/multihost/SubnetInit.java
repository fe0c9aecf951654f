package org.outcalls.replica.multihost;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.outcalls.crypto.NodeKey;
import org.outcalls.crypto.PublicKey;
import org.outcalls.replica.Genesis;

/**
 * What {@code outcalls subnet init} does: one genesis for n replicas (members with their keys and
 * addresses, the admin key, the enabled plugins, the proxy canister with its cycles) and one
 * configuration folder per replica. Keys are generated here unless the operator brings the public
 * keys that {@code outcalls keygen} printed on each host.
 *
 * <pre>
 * OUT/admin.key              the admin's private key (enable/disable plugins); keep it off the replicas
 * OUT/subnet.txt             subnet id and members, for people
 * OUT/replica-I/replica.json the configuration of replica I
 * OUT/replica-I/node.key     replica I's key, when generated here (copy the folder to its host)
 * </pre>
 */
public final class SubnetInit {
    /** The plugins a new subnet enables, like {@code outcalls run}. */
    public static final List<String> DEFAULT_PLUGINS = org.outcalls.replica.BundledPlugins.ALL;
    /** Cycles the proxy canister starts with, like {@code outcalls run}. */
    public static final long DEFAULT_PROXY_CYCLES = 100_000_000_000_000_000L;

    /**
     * @param hosts        each replica's address, {@code host:port}, in replica order
     * @param publicKeys   per replica, the key {@code outcalls keygen} made on its host; empty: generate one here
     * @param gatewayPort  the first replica on a host gets its gateway on this port, the next on that host port + 1, …;
     *                     empty: no gateways
     * @param plugins      plugin names to enable
     * @param pluginVersion the version they are enabled at (the distribution's)
     */
    public record Plan(List<String> hosts, List<Optional<PublicKey>> publicKeys, Optional<Integer> gatewayPort,
                       List<String> plugins, String pluginVersion, long proxyCycles, Duration rankDelay,
                       Duration heartbeat, ReplicaConfig.Store store, long consensusTimeoutMillis) {
        public Plan {
            if (hosts.isEmpty()) {
                throw new IllegalArgumentException("--hosts: at least one host:port");
            }
            if (publicKeys.size() != hosts.size()) {
                throw new IllegalArgumentException("--keys: " + publicKeys.size() + " keys for " + hosts.size() + " hosts");
            }
            for (int i = 0; i < hosts.size(); i++) {
                ReplicaConfig.hostPort(hosts.get(i), "--hosts entry " + (i + 1));
                if (hosts.get(i).endsWith(":0")) {
                    throw new IllegalArgumentException("--hosts entry " + (i + 1) + ": '" + hosts.get(i)
                            + "' needs a real port (peers dial it)");
                }
            }
            if (hosts.stream().distinct().count() != hosts.size()) {
                throw new IllegalArgumentException("--hosts: every replica needs its own host:port");
            }
            Objects.requireNonNull(pluginVersion, "pluginVersion");
        }
    }

    /** What was written. */
    public record Result(Genesis genesis, List<Path> configs, Path adminKey) {
    }

    private SubnetInit() {
    }

    public static Result write(Plan plan, Path out) throws IOException {
        if (Files.exists(out.resolve("replica-0").resolve("replica.json")) || Files.exists(out.resolve("admin.key"))) {
            throw new IOException(out + " already holds a subnet: choose an empty folder (a new subnet needs new keys)");
        }
        Files.createDirectories(out);
        int n = plan.hosts().size();
        List<NodeKey> generated = new ArrayList<>();
        List<PublicKey> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Optional<PublicKey> given = plan.publicKeys().get(i);
            NodeKey k = given.isPresent() ? null : NodeKey.generate();
            generated.add(k);
            keys.add(given.orElseGet(() -> k.publicKey()));
        }
        if (keys.stream().distinct().count() != n) {
            throw new IllegalArgumentException("--keys: every replica needs its own key");
        }
        NodeKey admin = NodeKey.generate();
        Genesis.Builder g = Genesis.builder().timeMillis(System.currentTimeMillis()).admin(admin.publicKey())
                .consensusTimeoutMillis(plan.consensusTimeoutMillis());
        for (int i = 0; i < n; i++) {
            g.member(keys.get(i), plan.hosts().get(i));
        }
        Map<String, String> plugins = new TreeMap<>();
        plan.plugins().forEach(p -> plugins.put(p.strip(), plan.pluginVersion()));
        plugins.forEach(g::plugin);
        g.canister("proxy", plan.proxyCycles());
        Genesis genesis = g.build();

        Path adminKey = out.resolve("admin.key");
        admin.save(adminKey);
        Map<String, Integer> gatewaysPerHost = new HashMap<>();
        List<Path> configs = new ArrayList<>();
        StringBuilder summary = new StringBuilder("subnet " + genesis.subnetId() + "\n");
        for (int i = 0; i < n; i++) {
            Path dir = out.resolve("replica-" + i);
            Files.createDirectories(dir);
            String[] hp = ReplicaConfig.hostPort(plan.hosts().get(i), "--hosts");
            boolean loopback = hp[0].equals("localhost") || hp[0].startsWith("127.") || hp[0].equals("::1");
            Optional<ReplicaConfig.Gateway> gateway = plan.gatewayPort().map(p -> {
                int nth = gatewaysPerHost.merge(hp[0], 1, Integer::sum) - 1;
                return new ReplicaConfig.Gateway("127.0.0.1", p == 0 ? 0 : p + nth);
            });
            Path key = dir.resolve("node.key");
            if (generated.get(i) != null) {
                generated.get(i).save(key);
            }
            ReplicaConfig c = new ReplicaConfig(dir.resolve("replica.json"), i, key, loopback ? hp[0] : "0.0.0.0",
                    Integer.parseInt(hp[1]), dir.resolve("data"), gateway, plan.rankDelay(), plan.heartbeat(), plan.store(),
                    genesis);
            c.write();
            configs.add(c.file());
            summary.append("replica ").append(i).append(": node ").append(keys.get(i).nodeId()).append(" at ")
                    .append(plan.hosts().get(i)).append(gateway.map(gw -> ", gateway port " + gw.port()).orElse(""))
                    .append(generated.get(i) == null ? ", key from keygen (copy it to " + key.getFileName() + ")" : "")
                    .append('\n');
        }
        Files.writeString(out.resolve("subnet.txt"), summary.toString());
        return new Result(genesis, configs, adminKey);
    }
}
