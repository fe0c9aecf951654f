package org.outcalls.replica.internal.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.outcalls.crypto.CanonicalReader;
import org.outcalls.crypto.CanonicalWriter;
import org.outcalls.crypto.DecodeException;
import org.outcalls.crypto.Domain;
import org.outcalls.crypto.PublicKey;
import org.outcalls.replica.Member;
import org.outcalls.replica.AppliedMembership;
import org.outcalls.replica.PendingMembership;
import org.outcalls.replica.internal.codec.Sha256;

/**
 * Canonical encoding of the state's membership record (a pending change, the last applied one).
 * It is written after everything else in a checkpoint and hashed into the state only when there is
 * one: a subnet whose members never changed has the checkpoints and state hashes of a release
 * without membership changes, so replicas of both agree.
 */
final class MembershipCodec {
    static final Domain DOMAIN = Domain.of("outcalls/replica/membership", 1);

    private MembershipCodec() {
    }

    static boolean present(PendingMembership pending, AppliedMembership applied) {
        return pending != null || applied != null;
    }

    static void write(CanonicalWriter w, PendingMembership pending, AppliedMembership applied) {
        w.bool(pending != null);
        if (pending != null) {
            w.i64(pending.requestedAt()).i64(pending.effectiveHeight()).u32(pending.members().size());
            for (Member m : pending.members()) {
                w.u32(m.index()).fixed(m.publicKey().bytes()).string(m.nodeId()).string(m.hostPort().orElse(""));
            }
        }
        w.bool(applied != null);
        if (applied != null) {
            w.i64(applied.height()).i64(applied.registryVersion()).string(applied.summary());
        }
    }

    static byte[] hash(PendingMembership pending, AppliedMembership applied) {
        CanonicalWriter w = new CanonicalWriter(256);
        write(w, pending, applied);
        return Sha256.hash(DOMAIN, w.toByteArray());
    }

    /** Reads what {@link #write} wrote into {@code s}. */
    static void read(CanonicalReader in, ReplicatedState s) throws DecodeException {
        PendingMembership pending = null;
        if (in.bool()) {
            long requested = in.i64(0, Long.MAX_VALUE, "membership requested at");
            long effective = in.i64(1, Long.MAX_VALUE, "membership effective height");
            int n = in.u32(RegistryCodec.MAX_ENTRIES, "pending member count");
            List<Member> members = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int index = in.u32(RegistryCodec.MAX_ENTRIES, "pending member index");
                PublicKey key = PublicKey.wrap(in.fixed(PublicKey.LENGTH));
                String nodeId = in.string(4 * Member.MAX_NODE_ID_CHARS, "pending member node id");
                String address = in.string(Member.MAX_HOST_PORT_CHARS, "pending member address");
                members.add(RegistryCodec.construct(in, () -> new Member(index, key, nodeId,
                        address.isEmpty() ? Optional.empty() : Optional.of(address))));
            }
            pending = RegistryCodec.construct(in, () -> new PendingMembership(requested, effective, members));
        }
        AppliedMembership applied = null;
        if (in.bool()) {
            applied = new AppliedMembership(in.i64(1, Long.MAX_VALUE, "applied at"), in.i64(1, Long.MAX_VALUE,
                    "applied registry version"), in.string(4096, "applied summary"));
        }
        if (!present(pending, applied)) {
            throw new DecodeException(in.offset(), "an empty membership record is written as none");
        }
        s.setMembership(pending, applied);
    }
}
