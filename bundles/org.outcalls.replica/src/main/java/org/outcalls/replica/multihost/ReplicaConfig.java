package org.outcalls.replica.multihost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.outcalls.crypto.DecodeException;
import org.outcalls.replica.Genesis;
import org.outcalls.replica.Member;
import org.outcalls.replica.SubnetRegistry;

/**
 * One replica's configuration file ({@code replica.json}), as {@code outcalls subnet init} writes it
 * and {@code outcalls replica --config FILE} reads it. Relative paths are relative to the file's
 * folder.
 *
 * <pre>{@code
 * { "format": 1, "subnet_id": "<hex>", "replica": 0, "node_key": "node.key",
 *   "listen": "0.0.0.0:7470", "data": "data",
 *   "gateway": { "host": "127.0.0.1", "port": 7450 },          // absent: no gateway on this replica
 *   "consensus": { "rank_delay_ms": 300, "heartbeat_ms": 1000 },
 *   "store": { "checkpoint_interval": 100, "retain_heights": 10000, "retain_checkpoints": 2, "sync": false },
 *   "members": [ { "index": 0, "node_id": "…", "public_key": "<hex>", "address": "host:port" }, … ],
 *   "genesis": "<base64 of the canonical genesis record; its hash is the subnet id>" }
 * }</pre>
 *
 * {@code members} repeats what the genesis says, for people; it is checked against it. A replica that
 * joins later (written by {@code outcalls admin add-member|replace-member --config-out}) has {@code
 * "registry_version": v} and the members of the registry at version v instead: whom it dials, and
 * the members it trusts a catch-up package from.
 */
public record ReplicaConfig(Path file, int replica, Path nodeKey, String listenHost, int listenPort, Path data,
                            Optional<Gateway> gateway, Duration rankDelay, Duration heartbeat, Store store, Genesis genesis,
                            long registryVersion, List<Member> members) {
    public static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Where this replica's REST gateway listens. */
    public record Gateway(String host, int port) {
        public Gateway {
            Objects.requireNonNull(host, "gateway host");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("gateway.port: must be 0..65535, got " + port);
            }
        }
    }

    /** Persistence settings (see the store): checkpoint every N heights, what is kept, fsync or not. */
    public record Store(long checkpointInterval, long retainHeights, int retainCheckpoints, boolean sync) {
        public static final Store DEFAULT = new Store(100, 10_000, 2, false);

        public Store {
            if (checkpointInterval < 1 || retainHeights < 1 || retainCheckpoints < 1) {
                throw new IllegalArgumentException("store: checkpoint_interval, retain_heights and retain_checkpoints "
                        + "must be at least 1");
            }
        }
    }

    /** A replica of the genesis members. */
    public ReplicaConfig(Path file, int replica, Path nodeKey, String listenHost, int listenPort, Path data,
                         Optional<Gateway> gateway, Duration rankDelay, Duration heartbeat, Store store, Genesis genesis) {
        this(file, replica, nodeKey, listenHost, listenPort, data, gateway, rankDelay, heartbeat, store, genesis,
                SubnetRegistry.INITIAL_VERSION, genesis.registry().members());
    }

    public ReplicaConfig {
        Objects.requireNonNull(genesis, "genesis");
        members = List.copyOf(members);
        int n = members.size();
        if (replica < 0 || replica >= n) {
            throw new IllegalArgumentException("replica: must be 0.." + (n - 1) + " (the configuration lists " + n
                    + " members), got " + replica);
        }
        genesis.registry().withMembers(members); // indices 0..n-1, distinct keys and node ids
        for (Member m : members) {
            if (m.hostPort().isEmpty()) {
                throw new IllegalArgumentException("members: member " + m.index() + " has no address (host:port)");
            }
        }
        if (registryVersion < SubnetRegistry.INITIAL_VERSION) {
            throw new IllegalArgumentException("registry_version: at least " + SubnetRegistry.INITIAL_VERSION);
        }
        if (listenPort < 0 || listenPort > 65535) {
            throw new IllegalArgumentException("listen: port must be 0..65535, got " + listenPort);
        }
    }

    /** This replica's registry entry. */
    public Member member() {
        return members.get(replica);
    }

    public String subnetId() {
        return genesis.subnetId();
    }

    /**
     * Reads and checks a configuration file.
     *
     * @throws IOException naming the file and the field at fault
     */
    public static ReplicaConfig read(Path file) throws IOException {
        Path abs = file.toAbsolutePath().normalize();
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(abs, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IOException(abs + ": not a readable JSON replica configuration: " + e.getMessage(), e);
        }
        try {
            return parse(abs, root);
        } catch (IllegalArgumentException e) {
            throw new IOException(abs + ": " + e.getMessage(), e);
        }
    }

    private static ReplicaConfig parse(Path file, JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("expected a JSON object");
        }
        int format = integer(root, "format");
        if (format != FORMAT) {
            throw new IllegalArgumentException("format: " + format + " is not " + FORMAT + " (written by another version)");
        }
        Genesis genesis;
        try {
            genesis = Genesis.decode(Base64.getDecoder().decode(text(root, "genesis")));
        } catch (DecodeException | IllegalArgumentException e) {
            throw new IllegalArgumentException("genesis: not a canonical genesis record in base64: " + e.getMessage());
        }
        String subnetId = text(root, "subnet_id");
        if (!subnetId.equals(genesis.subnetId())) {
            throw new IllegalArgumentException("subnet_id: " + subnetId + " is not the hash of the genesis ("
                    + genesis.subnetId() + "); the file was edited or mixed up with another subnet's");
        }
        JsonNode members = root.get("members");
        long registryVersion = root.path("registry_version").asLong(SubnetRegistry.INITIAL_VERSION);
        List<Member> known = genesis.registry().members();
        if (registryVersion != SubnetRegistry.INITIAL_VERSION) {
            known = members(members);
        } else if (members != null) {
            checkMembers(members, genesis.registry().members());
        }
        Path dir = file.getParent();
        String[] listen = hostPort(text(root, "listen"), "listen");
        Optional<Gateway> gateway = Optional.empty();
        JsonNode gw = root.get("gateway");
        if (gw != null && !gw.isNull()) {
            gateway = Optional.of(new Gateway(gw.path("host").asText("127.0.0.1"), integer(gw, "port")));
        }
        JsonNode c = root.path("consensus");
        Duration rank = Duration.ofMillis(c.path("rank_delay_ms").asLong(300));
        Duration beat = Duration.ofMillis(c.path("heartbeat_ms").asLong(1000));
        if (rank.isNegative() || rank.isZero() || beat.isNegative() || beat.isZero()) {
            throw new IllegalArgumentException("consensus: rank_delay_ms and heartbeat_ms must be positive");
        }
        JsonNode s = root.path("store");
        Store store = new Store(s.path("checkpoint_interval").asLong(Store.DEFAULT.checkpointInterval()),
                s.path("retain_heights").asLong(Store.DEFAULT.retainHeights()),
                s.path("retain_checkpoints").asInt(Store.DEFAULT.retainCheckpoints()), s.path("sync").asBoolean(false));
        return new ReplicaConfig(file, integer(root, "replica"), dir.resolve(text(root, "node_key")).normalize(), listen[0],
                Integer.parseInt(listen[1]), dir.resolve(root.path("data").asText("data")).normalize(), gateway, rank, beat,
                store, genesis, registryVersion, known);
    }

    /** The members a joining replica's file lists (those of the registry at its {@code registry_version}). */
    private static List<Member> members(JsonNode members) {
        if (members == null || !members.isArray() || members.isEmpty()) {
            throw new IllegalArgumentException("members: required with registry_version (the registry's members)");
        }
        List<Member> out = new java.util.ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            JsonNode m = members.get(i);
            org.outcalls.crypto.PublicKey key = org.outcalls.crypto.PublicKey.fromHex(text(m, "public_key"));
            out.add(new Member(i, key, key.nodeId(), Optional.of(text(m, "address"))));
        }
        return out;
    }

    private static void checkMembers(JsonNode members, List<Member> registry) {
        if (!members.isArray() || members.size() != registry.size()) {
            throw new IllegalArgumentException("members: must list the " + registry.size() + " members of the genesis");
        }
        for (int i = 0; i < registry.size(); i++) {
            JsonNode m = members.get(i);
            Member g = registry.get(i);
            if (!g.publicKey().hex().equals(m.path("public_key").asText())
                    || !g.hostPort().orElse("").equals(m.path("address").asText())) {
                throw new IllegalArgumentException("members[" + i + "]: differs from the genesis (public key "
                        + g.publicKey().hex() + ", address " + g.hostPort().orElse("") + "); edit neither, run subnet init again");
            }
        }
    }

    /** Writes this configuration as JSON (paths relative to the file's folder where possible). */
    public void write() throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("subnet_id", genesis.subnetId());
        root.put("replica", replica);
        root.put("node_key", relative(dir, nodeKey));
        root.put("listen", (listenHost.contains(":") ? "[" + listenHost + "]" : listenHost) + ":" + listenPort);
        root.put("data", relative(dir, data));
        gateway.ifPresent(g -> root.putObject("gateway").put("host", g.host()).put("port", g.port()));
        root.putObject("consensus").put("rank_delay_ms", rankDelay.toMillis()).put("heartbeat_ms", heartbeat.toMillis());
        root.putObject("store").put("checkpoint_interval", store.checkpointInterval())
                .put("retain_heights", store.retainHeights()).put("retain_checkpoints", store.retainCheckpoints())
                .put("sync", store.sync());
        if (registryVersion != SubnetRegistry.INITIAL_VERSION) {
            root.put("registry_version", registryVersion);
        }
        ArrayNode members = root.putArray("members");
        for (Member m : this.members) {
            members.addObject().put("index", m.index()).put("node_id", m.nodeId()).put("public_key", m.publicKey().hex())
                    .put("address", m.hostPort().orElse(""));
        }
        root.put("genesis", Base64.getEncoder().encodeToString(genesis.encode()));
        Files.createDirectories(dir);
        Files.writeString(file, JSON.writeValueAsString(root) + "\n", StandardCharsets.UTF_8);
    }

    private static String relative(Path dir, Path p) {
        Path abs = p.toAbsolutePath().normalize();
        return abs.startsWith(dir) ? dir.relativize(abs).toString() : abs.toString();
    }

    static String[] hostPort(String hp, String field) {
        int colon = hp.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException(field + ": '" + hp + "' is not host:port");
        }
        String host = hp.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        String port = hp.substring(colon + 1);
        try {
            int p = Integer.parseInt(port);
            if (p < 0 || p > 65535) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + ": port of '" + hp + "' must be a number in 0..65535");
        }
        return new String[] {host, port};
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new IllegalArgumentException(field + ": required (a non-empty string)");
        }
        return v.asText();
    }

    private static int integer(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.canConvertToInt() || !v.isIntegralNumber()) {
            throw new IllegalArgumentException(field + ": required (a whole number)");
        }
        return v.asInt();
    }
}
