package org.outcalls.replica.internal.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.outcalls.replica.Member;
import org.outcalls.replica.SubnetRegistry;
import org.outcalls.replica.internal.codec.CanonicalInput;
import org.outcalls.replica.internal.codec.CanonicalOutput;
import org.outcalls.replica.internal.codec.MalformedInputException;
import org.outcalls.replica.internal.crypto.Ed25519;

/** Canonical encoding of the subnet registry (hashed into the state, kept in checkpoints and genesis). */
public final class RegistryCodec {
    public static final String DOMAIN = "outcalls/registry/v1";
    static final int MAX_ENTRIES = 4096;

    private RegistryCodec() {
    }

    public static void write(CanonicalOutput out, SubnetRegistry r) {
        out.domain(DOMAIN).i64(r.version());
        out.i32(r.members().size());
        for (Member m : r.members()) {
            out.i32(m.index()).fixed(m.publicKey()).string(m.nodeId()).bool(m.hostPort().isPresent());
            m.hostPort().ifPresent(out::string);
        }
        List<byte[]> admins = r.adminKeys();
        out.i32(admins.size());
        admins.forEach(out::fixed);
        out.i32(r.plugins().size());
        r.plugins().forEach((n, v) -> out.string(n).string(v));
        out.i32(r.canisters().size());
        r.canisters().forEach((id, cycles) -> out.string(id).i64(cycles));
        out.i64(r.consensusTimeoutMillis());
    }

    public static byte[] encode(SubnetRegistry r) {
        CanonicalOutput out = new CanonicalOutput();
        write(out, r);
        return out.toByteArray();
    }

    public static SubnetRegistry read(CanonicalInput in) {
        in.domain(DOMAIN);
        long version = in.i64("registry.version");
        int n = in.length("registry.members", MAX_ENTRIES);
        List<Member> members = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int index = in.i32("member.index");
            byte[] key = in.fixed("member.public_key", Ed25519.PUBLIC_KEY_BYTES);
            String nodeId = in.string("member.node_id", 4 * Member.MAX_NODE_ID_CHARS);
            Optional<String> hostPort = in.bool("member.host_port?")
                    ? Optional.of(in.string("member.host_port", Member.MAX_HOST_PORT_CHARS))
                    : Optional.empty();
            members.add(new Member(index, key, nodeId, hostPort));
        }
        int a = in.length("registry.admins", MAX_ENTRIES);
        List<byte[]> admins = new ArrayList<>(a);
        for (int i = 0; i < a; i++) {
            admins.add(in.fixed("admin key", Ed25519.PUBLIC_KEY_BYTES));
        }
        int p = in.length("registry.plugins", MAX_ENTRIES);
        TreeMap<String, String> plugins = new TreeMap<>();
        String previous = null;
        for (int i = 0; i < p; i++) {
            String name = in.string("plugin.name", 512);
            previous = sorted("registry.plugins", previous, name);
            plugins.put(name, in.string("plugin.version", 256));
        }
        int c = in.length("registry.canisters", MAX_ENTRIES);
        TreeMap<String, Long> canisters = new TreeMap<>();
        previous = null;
        for (int i = 0; i < c; i++) {
            String id = in.string("canister.id", 256);
            previous = sorted("registry.canisters", previous, id);
            canisters.put(id, in.i64("canister.initial_cycles"));
        }
        long timeout = in.i64("registry.consensus_timeout");
        SubnetRegistry r;
        try {
            r = new SubnetRegistry(version, members, admins, plugins, canisters, timeout);
        } catch (IllegalArgumentException e) {
            throw new MalformedInputException("registry: " + e.getMessage());
        }
        return r;
    }

    /** Keys must come strictly ascending, so each registry has one encoding. */
    static String sorted(String field, String previous, String next) {
        if (previous != null && previous.compareTo(next) >= 0) {
            throw new MalformedInputException(field + ": '" + next + "' is out of order or repeated");
        }
        return next;
    }
}
