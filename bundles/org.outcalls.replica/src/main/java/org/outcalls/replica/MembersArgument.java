package org.outcalls.replica;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.outcalls.crypto.CanonicalReader;
import org.outcalls.crypto.CanonicalWriter;
import org.outcalls.crypto.DecodeException;
import org.outcalls.crypto.PublicKey;

/**
 * The argument of {@link ManagementCanister#CHANGE_MEMBERS}: the registry version the sender saw
 * (a change is refused if the registry moved on since: the sender decided on another member list)
 * and the complete new member list. Encoding: {@code u8 version (1), i64 expectedRegistryVersion,
 * u32 n, n × (u32 index, 32-byte key, string host:port)}; node ids are the keys' own.
 */
public record MembersArgument(long expectedRegistryVersion, List<Member> members) {
    static final int VERSION = 1;
    static final int MAX_MEMBERS = 1024;

    public MembersArgument {
        members = List.copyOf(members);
    }

    public byte[] encode() {
        CanonicalWriter w = new CanonicalWriter(64 + 96 * members.size());
        w.u8(VERSION).i64(expectedRegistryVersion).u32(members.size());
        for (Member m : members) {
            w.u32(m.index()).fixed(m.publicKey().bytes()).string(m.hostPort().orElse(""));
        }
        return w.toByteArray();
    }

    /** @throws DecodeException naming the field if the bytes are not one canonical argument */
    public static MembersArgument decode(byte[] bytes) throws DecodeException {
        CanonicalReader r = new CanonicalReader(bytes);
        int v = r.u8();
        if (v != VERSION) {
            throw new DecodeException(0, "change_members argument version " + v + "; this replica reads " + VERSION);
        }
        long expected = r.i64(1, Long.MAX_VALUE, "expected registry version");
        int n = r.u32(MAX_MEMBERS, "member count");
        List<Member> members = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int at = r.offset();
            int index = r.u32(MAX_MEMBERS, "member index");
            PublicKey key = PublicKey.wrap(r.fixed(PublicKey.LENGTH));
            String address = r.string(Member.MAX_HOST_PORT_CHARS, "member address");
            try {
                members.add(new Member(index, key, key.nodeId(), address.isEmpty() ? Optional.empty() : Optional.of(address)));
            } catch (IllegalArgumentException e) {
                throw new DecodeException(at, e.getMessage());
            }
        }
        r.expectEnd();
        return new MembersArgument(expected, members);
    }
}
