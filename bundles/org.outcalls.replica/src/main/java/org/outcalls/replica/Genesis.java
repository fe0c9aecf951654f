package org.outcalls.replica;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.outcalls.api.Limits;
import org.outcalls.crypto.CanonicalReader;
import org.outcalls.crypto.CanonicalWriter;
import org.outcalls.crypto.DecodeException;
import org.outcalls.crypto.Hash;
import org.outcalls.crypto.PublicKey;

/**
 * Where a subnet starts: its initial registry (members, admins, enabled plugins, installed
 * canisters with their initial cycles balances, consensus timeout) and the time of height 0. The
 * hash of its canonical encoding is the subnet id, so replicas given different genesis records are
 * different subnets.
 */
public final class Genesis {
    private final SubnetRegistry registry;
    private final long timeMillis;

    public Genesis(SubnetRegistry registry, long timeMillis) {
        this.registry = Objects.requireNonNull(registry, "registry");
        if (registry.version() != SubnetRegistry.INITIAL_VERSION) {
            throw new IllegalArgumentException("genesis registry version: must be " + SubnetRegistry.INITIAL_VERSION
                    + " (was " + registry.version() + ")");
        }
        if (timeMillis < 0) {
            throw new IllegalArgumentException("genesis time: must not be negative");
        }
        this.timeMillis = timeMillis;
    }

    public static Builder builder() {
        return new Builder();
    }

    public SubnetRegistry registry() {
        return registry;
    }

    /** The time of height 0, in Unix milliseconds. */
    public long timeMillis() {
        return timeMillis;
    }

    /** The canonical encoding (without domain prefix; {@link #hash()} adds it). */
    public byte[] encode() {
        CanonicalWriter w = new CanonicalWriter(512);
        w.i64(timeMillis);
        registry.write(w);
        return w.toByteArray();
    }

    /**
     * @throws DecodeException if the bytes are not a canonical genesis record
     */
    public static Genesis decode(byte[] bytes) throws DecodeException {
        CanonicalReader in = new CanonicalReader(bytes);
        long time = in.i64(0, Long.MAX_VALUE, "genesis time");
        SubnetRegistry registry = SubnetRegistry.read(in);
        in.expectEnd();
        if (registry.version() != SubnetRegistry.INITIAL_VERSION) {
            throw new DecodeException(0, "genesis registry version must be " + SubnetRegistry.INITIAL_VERSION);
        }
        return new Genesis(registry, time);
    }

    /** SHA-256 over the genesis domain and {@link #encode()}. */
    public Hash hash() {
        return Hash.of(Domains.GENESIS, encode());
    }

    /** The subnet id: the bytes of {@link #hash()} (what {@code ConsensusConfig.subnetId} takes). */
    public byte[] subnetIdBytes() {
        return hash().bytes();
    }

    /** The subnet id as lower-case hex. */
    public String subnetId() {
        return hash().hex();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Genesis g && timeMillis == g.timeMillis && registry.equals(g.registry);
    }

    @Override
    public int hashCode() {
        return registry.hashCode();
    }

    @Override
    public String toString() {
        return "Genesis[" + hash().shortHex() + ", time " + timeMillis + ", " + registry + "]";
    }

    /** Assembles a genesis record; {@link #build()} checks it. */
    public static final class Builder {
        private final List<Member> members = new ArrayList<>();
        private final List<PublicKey> admins = new ArrayList<>();
        private final Map<String, String> plugins = new TreeMap<>();
        private final Map<String, Long> canisters = new TreeMap<>();
        private long consensusTimeoutMillis = Limits.CONSENSUS_TIMEOUT_MILLIS;
        private long timeMillis;

        private Builder() {
        }

        /** Adds the next member (index = members so far); {@code hostPort} may be null. */
        public Builder member(PublicKey publicKey, String hostPort) {
            members.add(Member.of(members.size(), publicKey, hostPort));
            return this;
        }

        public Builder member(Member member) {
            members.add(member);
            return this;
        }

        public Builder admin(PublicKey publicKey) {
            admins.add(publicKey);
            return this;
        }

        public Builder plugin(String name, String version) {
            plugins.put(name, version);
            return this;
        }

        public Builder canister(String id, long initialCycles) {
            canisters.put(id, initialCycles);
            return this;
        }

        /** Defaults to {@link Limits#CONSENSUS_TIMEOUT_MILLIS}; tests shorten it. */
        public Builder consensusTimeoutMillis(long millis) {
            this.consensusTimeoutMillis = millis;
            return this;
        }

        public Builder timeMillis(long millis) {
            this.timeMillis = millis;
            return this;
        }

        public Genesis build() {
            return new Genesis(new SubnetRegistry(SubnetRegistry.INITIAL_VERSION, members, admins, plugins, canisters,
                    consensusTimeoutMillis), timeMillis);
        }
    }
}
