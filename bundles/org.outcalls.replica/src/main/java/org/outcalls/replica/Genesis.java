package org.outcalls.replica;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.outcalls.api.Limits;
import org.outcalls.replica.internal.codec.CanonicalInput;
import org.outcalls.replica.internal.codec.CanonicalOutput;
import org.outcalls.replica.internal.codec.Sha256;
import org.outcalls.replica.internal.state.RegistryCodec;

/**
 * Where a subnet starts: its initial registry (members, admins, enabled plugins, installed
 * canisters with their initial cycles balances, consensus timeout) and the time of height 0. Its
 * canonical encoding's SHA-256 is the subnet id, so replicas given different genesis records are
 * different subnets.
 */
public final class Genesis {
    public static final String DOMAIN = "outcalls/genesis/v1";

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

    /** The block time of height 0, in Unix milliseconds. */
    public long timeMillis() {
        return timeMillis;
    }

    public byte[] encode() {
        CanonicalOutput out = new CanonicalOutput();
        out.domain(DOMAIN).i64(timeMillis);
        RegistryCodec.write(out, registry);
        return out.toByteArray();
    }

    /**
     * @throws IllegalArgumentException naming the field if the bytes are not a canonical genesis record
     */
    public static Genesis decode(byte[] bytes) {
        CanonicalInput in = new CanonicalInput(bytes);
        in.domain(DOMAIN);
        long time = in.i64("genesis.time");
        SubnetRegistry registry = RegistryCodec.read(in);
        in.end();
        return new Genesis(registry, time);
    }

    public byte[] hash() {
        return Sha256.hash(encode());
    }

    /** The subnet id: lower-case hex of {@link #hash()}. */
    public String subnetId() {
        return Sha256.hex(hash());
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
        return "Genesis[" + subnetId().substring(0, 16) + ", time " + timeMillis + ", " + registry + "]";
    }

    /** Assembles a genesis record; {@link #build()} checks it. */
    public static final class Builder {
        private final List<Member> members = new ArrayList<>();
        private final List<byte[]> admins = new ArrayList<>();
        private final Map<String, String> plugins = new TreeMap<>();
        private final Map<String, Long> canisters = new TreeMap<>();
        private long consensusTimeoutMillis = Limits.CONSENSUS_TIMEOUT_MILLIS;
        private long timeMillis;

        private Builder() {
        }

        /** Adds the next member (index = members so far) with its node key and optional {@code host:port}. */
        public Builder member(byte[] publicKey, String hostPort) {
            members.add(Member.of(members.size(), publicKey, hostPort));
            return this;
        }

        public Builder member(Member member) {
            members.add(member);
            return this;
        }

        public Builder admin(byte[] publicKey) {
            admins.add(publicKey.clone());
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
