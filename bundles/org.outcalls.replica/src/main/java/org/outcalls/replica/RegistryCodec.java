package org.outcalls.replica;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.outcalls.crypto.CanonicalReader;
import org.outcalls.crypto.CanonicalWriter;
import org.outcalls.crypto.DecodeException;
import org.outcalls.crypto.PublicKey;

/**
 * Canonical encoding of the subnet registry (hashed into the state, kept in checkpoints and genesis),
 * behind {@link SubnetRegistry#write}, {@link SubnetRegistry#encode} and {@link SubnetRegistry#read}.
 */
final class RegistryCodec {
    private static final int MAX_ENTRIES = SubnetRegistry.MAX_ENTRIES;

    private RegistryCodec() {
    }

    static void write(CanonicalWriter w, SubnetRegistry r) {
        w.i64(r.version());
        w.u32(r.members().size());
        for (Member m : r.members()) {
            w.u32(m.index()).fixed(m.publicKey().bytes()).string(m.nodeId()).bool(m.hostPort().isPresent());
            m.hostPort().ifPresent(w::string);
        }
        w.u32(r.adminKeys().size());
        r.adminKeys().forEach(k -> w.fixed(k.bytes()));
        w.u32(r.plugins().size());
        r.plugins().forEach((n, v) -> w.string(n).string(v));
        w.u32(r.canisters().size());
        r.canisters().forEach((id, cycles) -> w.string(id).i64(cycles));
        w.i64(r.consensusTimeoutMillis());
    }

    static byte[] encode(SubnetRegistry r) {
        CanonicalWriter w = new CanonicalWriter(512);
        write(w, r);
        return w.toByteArray();
    }

    static SubnetRegistry read(CanonicalReader in) throws DecodeException {
        int start = in.offset();
        long version = in.i64();
        int n = in.u32(MAX_ENTRIES, "member count");
        List<Member> members = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int index = in.u32(MAX_ENTRIES, "member index");
            PublicKey key = PublicKey.wrap(in.fixed(PublicKey.LENGTH));
            String nodeId = in.string(4 * Member.MAX_NODE_ID_CHARS, "member node id");
            Optional<String> hostPort = in.bool()
                    ? Optional.of(in.string(Member.MAX_HOST_PORT_CHARS, "member host:port"))
                    : Optional.empty();
            int at = in.offset();
            try {
                members.add(new Member(index, key, nodeId, hostPort));
            } catch (IllegalArgumentException e) {
                throw new DecodeException(at, e.getMessage());
            }
        }
        int a = in.u32(MAX_ENTRIES, "admin count");
        List<PublicKey> admins = new ArrayList<>(a);
        PublicKey previousKey = null;
        for (int i = 0; i < a; i++) {
            int at = in.offset();
            PublicKey k = PublicKey.wrap(in.fixed(PublicKey.LENGTH));
            if (previousKey != null && previousKey.compareTo(k) >= 0) {
                throw new DecodeException(at, "admin keys are not strictly sorted");
            }
            previousKey = k;
            admins.add(k);
        }
        int p = in.u32(MAX_ENTRIES, "plugin count");
        TreeMap<String, String> plugins = new TreeMap<>();
        String previous = null;
        for (int i = 0; i < p; i++) {
            int at = in.offset();
            String name = in.string(512, "plugin name");
            previous = ascending(at, "plugins", previous, name);
            plugins.put(name, in.string(256, "plugin version"));
        }
        int c = in.u32(MAX_ENTRIES, "canister count");
        TreeMap<String, Long> canisters = new TreeMap<>();
        previous = null;
        for (int i = 0; i < c; i++) {
            int at = in.offset();
            String id = in.string(256, "canister id");
            previous = ascending(at, "canisters", previous, id);
            canisters.put(id, in.i64());
        }
        long timeout = in.i64();
        try {
            return new SubnetRegistry(version, members, admins, plugins, canisters, timeout);
        } catch (IllegalArgumentException e) {
            throw new DecodeException(start, "registry: " + e.getMessage());
        }
    }

    private static String ascending(int offset, String field, String previous, String next) throws DecodeException {
        if (previous != null && previous.compareTo(next) >= 0) {
            throw new DecodeException(offset, field + ": '" + next + "' is out of order or repeated");
        }
        return next;
    }
}
