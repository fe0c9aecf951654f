package org.outcalls.replica;

import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.outcalls.api.Limits;
import org.outcalls.crypto.CanonicalReader;
import org.outcalls.crypto.CanonicalWriter;
import org.outcalls.crypto.DecodeException;
import org.outcalls.crypto.PublicKey;

/**
 * The subnet registry as held in replicated state: members and their keys, admin keys, enabled
 * plugins (agreement policies and {@code methods}) with their versions, installed canisters, the
 * outcall consensus timeout, and a version that grows by one with every change. Immutable; a
 * change makes a new registry, and only an admin message executed in a block applies one.
 */
public final class SubnetRegistry {
    /** The version of the genesis registry. */
    public static final long INITIAL_VERSION = 1;
    /** The most members, admin keys, plugins or canisters the canonical encoding holds. */
    public static final int MAX_ENTRIES = 4096;

    private final long version;
    private final List<Member> members;
    private final SortedSet<PublicKey> admins;
    private final SortedMap<String, String> plugins;
    private final SortedMap<String, Long> canisters;
    private final long consensusTimeoutMillis;

    /**
     * @param members                replicas, indices exactly {@code 0..n-1} in order, keys and node ids distinct
     * @param adminKeys              Ed25519 keys allowed to send admin messages
     * @param plugins                enabled plugin name → version
     * @param canisters              installed canister id → initial cycles
     * @param consensusTimeoutMillis an open request context times out once block time exceeds its request time by more
     */
    public SubnetRegistry(long version, List<Member> members, Collection<PublicKey> adminKeys, Map<String, String> plugins,
                          Map<String, Long> canisters, long consensusTimeoutMillis) {
        if (version < INITIAL_VERSION) {
            throw new IllegalArgumentException("registry version: must be at least " + INITIAL_VERSION);
        }
        this.version = version;
        this.members = List.copyOf(members);
        checkMembers(this.members);
        TreeSet<PublicKey> a = new TreeSet<>();
        for (PublicKey key : adminKeys) {
            if (!a.add(java.util.Objects.requireNonNull(key, "admin key"))) {
                throw new IllegalArgumentException("admin key " + key.hex() + " is listed twice");
            }
        }
        this.admins = Collections.unmodifiableSortedSet(a);
        TreeMap<String, String> p = new TreeMap<>();
        plugins.forEach((name, v) -> p.put(Names.checkPluginName("plugin name", name),
                Names.checkVersion("version of plugin " + name, v)));
        this.plugins = Collections.unmodifiableSortedMap(p);
        TreeMap<String, Long> c = new TreeMap<>();
        canisters.forEach((id, cycles) -> {
            Names.checkCanisterId("canister id", id);
            if (id.equals(ManagementCanister.ID)) {
                throw new IllegalArgumentException("canister id: " + ManagementCanister.ID
                        + " is the management canister's");
            }
            if (cycles == null || cycles < 0) {
                throw new IllegalArgumentException("initial cycles of canister " + id + ": must not be negative");
            }
            c.put(id, cycles);
        });
        this.canisters = Collections.unmodifiableSortedMap(c);
        if (consensusTimeoutMillis < 0) {
            throw new IllegalArgumentException("consensus timeout: must not be negative (was "
                    + consensusTimeoutMillis + " ms)");
        }
        this.consensusTimeoutMillis = consensusTimeoutMillis;
    }

    private static void checkMembers(List<Member> members) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("members: a subnet needs at least one replica");
        }
        Set<String> keys = new HashSet<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < members.size(); i++) {
            Member m = members.get(i);
            if (m.index() != i) {
                throw new IllegalArgumentException("members: index " + m.index() + " at position " + i
                        + "; indices must be 0..n-1 in order");
            }
            if (!keys.add(m.publicKey().hex())) {
                throw new IllegalArgumentException("members: the key of member " + i + " is used twice");
            }
            if (!ids.add(m.nodeId())) {
                throw new IllegalArgumentException("members: node id " + m.nodeId() + " is used twice");
            }
        }
    }

    public long version() {
        return version;
    }

    /** Members in index order. */
    public List<Member> members() {
        return members;
    }

    /** n. */
    public int subnetSize() {
        return members.size();
    }

    /** f = ⌊(n−1)/3⌋. */
    public int faultTolerance() {
        return (members.size() - 1) / 3;
    }

    /** Admin keys, sorted by their bytes. */
    public SortedSet<PublicKey> adminKeys() {
        return admins;
    }

    public boolean isAdmin(PublicKey publicKey) {
        return admins.contains(publicKey);
    }

    /** The members' public keys in index order, as consensus takes them. */
    public List<PublicKey> memberKeys() {
        return members.stream().map(Member::publicKey).toList();
    }

    /** Enabled plugins, name → version, sorted by name. */
    public SortedMap<String, String> plugins() {
        return plugins;
    }

    public Optional<String> pluginVersion(String name) {
        return Optional.ofNullable(plugins.get(name));
    }

    public boolean isEnabled(String name) {
        return plugins.containsKey(name);
    }

    /** Installed canisters, id → initial cycles, sorted by id. */
    public SortedMap<String, Long> canisters() {
        return canisters;
    }

    public boolean isInstalled(String canisterId) {
        return canisters.containsKey(canisterId);
    }

    public long consensusTimeoutMillis() {
        return consensusTimeoutMillis;
    }

    /**
     * Request contexts the subnet keeps open at most ({@link Limits#maxOpenContexts} of n): derived
     * from the members, so every replica at the same registry has the same bound.
     */
    public int maxOpenContexts() {
        return Limits.maxOpenContexts(members.size());
    }

    /** A copy with {@code name} enabled at {@code version} and the registry version one higher. */
    public SubnetRegistry withPluginEnabled(String name, String pluginVersion) {
        TreeMap<String, String> p = new TreeMap<>(plugins);
        p.put(name, pluginVersion);
        return new SubnetRegistry(version + 1, members, adminKeys(), p, canisters, consensusTimeoutMillis);
    }

    /** A copy with {@code next} as its members (checked as at construction) and the registry version one higher. */
    public SubnetRegistry withMembers(List<Member> next) {
        return new SubnetRegistry(version + 1, next, adminKeys(), plugins, canisters, consensusTimeoutMillis);
    }

    /** A copy without {@code name} and with the registry version one higher. */
    public SubnetRegistry withPluginDisabled(String name) {
        TreeMap<String, String> p = new TreeMap<>(plugins);
        p.remove(name);
        return new SubnetRegistry(version + 1, members, adminKeys(), p, canisters, consensusTimeoutMillis);
    }

    /** Enabled plugins as {@code name@version, ...}, for messages. */
    public String describePlugins() {
        if (plugins.isEmpty()) {
            return "none";
        }
        StringBuilder b = new StringBuilder();
        plugins.forEach((n, v) -> b.append(b.length() == 0 ? "" : ", ").append(n).append('@').append(v));
        return b.toString();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SubnetRegistry r)) {
            return false;
        }
        if (version != r.version || consensusTimeoutMillis != r.consensusTimeoutMillis || !members.equals(r.members)
                || !plugins.equals(r.plugins) || !canisters.equals(r.canisters)
                || !admins.equals(r.admins)) {
            return false;
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(version) * 31 + members.hashCode();
    }

    @Override
    public String toString() {
        return "SubnetRegistry[version " + version + ", " + members.size() + " members, " + admins.size()
                + " admins, plugins " + describePlugins() + ", canisters " + canisters.keySet()
                + ", consensus timeout " + consensusTimeoutMillis + " ms]";
    }

    /** Writes the canonical encoding: hashed into the state, kept in checkpoints and in the genesis. */
    public void write(CanonicalWriter w) {
        RegistryCodec.write(w, this);
    }

    /** The canonical encoding ({@link #write}). */
    public byte[] encode() {
        return RegistryCodec.encode(this);
    }

    /** Reads what {@link #write} wrote; each registry has exactly one encoding. */
    public static SubnetRegistry read(CanonicalReader in) throws DecodeException {
        return RegistryCodec.read(in);
    }

    /** The default outcall consensus timeout. */
    public static long defaultConsensusTimeoutMillis() {
        return Limits.CONSENSUS_TIMEOUT_MILLIS;
    }
}
