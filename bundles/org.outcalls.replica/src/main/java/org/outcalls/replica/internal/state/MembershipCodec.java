package org.outcalls.replica.internal.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.outcalls.crypto.CanonicalReader;
import org.outcalls.crypto.CanonicalWriter;
import org.outcalls.crypto.DecodeException;
import org.outcalls.crypto.Domain;
import org.outcalls.crypto.PublicKey;
import org.outcalls.replica.AppliedMembership;
import org.outcalls.replica.Member;
import org.outcalls.replica.PendingMembership;
import org.outcalls.replica.SubnetRegistry;
import org.outcalls.replica.internal.codec.Sha256;

/**
 * Canonical encoding of the state's membership record: a pending change (or none), then every
 * applied change, oldest first, each with the members it replaced. It is written after everything
 * else in a checkpoint and hashed into the state only when there is one: a subnet whose members
 * never changed has the checkpoints and state hashes of a release without membership changes, so
 * replicas of both agree.
 */
final class MembershipCodec {
    static final Domain DOMAIN = Domain.of("outcalls/replica/membership", 1);
    /** Applied changes a state may record (each needs its own activation window of 64 heights). */
    static final int MAX_APPLIED = 1 << 16;

    private MembershipCodec() {
    }

    static boolean present(PendingMembership pending, List<AppliedMembership> applied) {
        return pending != null || !applied.isEmpty();
    }

    static void write(CanonicalWriter w, PendingMembership pending, List<AppliedMembership> applied) {
        w.bool(pending != null);
        if (pending != null) {
            w.i64(pending.requestedAt()).i64(pending.effectiveHeight());
            members(w, pending.members());
        }
        w.u32(applied.size());
        for (AppliedMembership a : applied) {
            w.i64(a.height()).i64(a.registryVersion()).string(a.summary());
            members(w, a.previous());
        }
    }

    private static void members(CanonicalWriter w, List<Member> members) {
        w.u32(members.size());
        for (Member m : members) {
            w.u32(m.index()).fixed(m.publicKey().bytes()).string(m.nodeId()).string(m.hostPort().orElse(""));
        }
    }

    static byte[] hash(PendingMembership pending, List<AppliedMembership> applied) {
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
            List<Member> members = members(in, "pending");
            pending = CanonicalChecks.construct(in, () -> new PendingMembership(requested, effective, members));
        }
        int count = in.u32(MAX_APPLIED, "applied membership changes");
        List<AppliedMembership> applied = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long height = in.i64(1, Long.MAX_VALUE, "applied at");
            long version = in.i64(1, Long.MAX_VALUE, "applied registry version");
            String summary = in.string(4096, "applied summary");
            List<Member> previous = members(in, "previous");
            applied.add(CanonicalChecks.construct(in, () -> new AppliedMembership(height, version, summary, previous)));
        }
        if (!present(pending, applied)) {
            throw new DecodeException(in.offset(), "an empty membership record is written as none");
        }
        s.setMembership(pending, applied);
    }

    private static List<Member> members(CanonicalReader in, String what) throws DecodeException {
        int n = in.u32(SubnetRegistry.MAX_ENTRIES, what + " member count");
        List<Member> members = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int index = in.u32(SubnetRegistry.MAX_ENTRIES, what + " member index");
            PublicKey key = PublicKey.wrap(in.fixed(PublicKey.LENGTH));
            String nodeId = in.string(4 * Member.MAX_NODE_ID_CHARS, what + " member node id");
            String address = in.string(Member.MAX_HOST_PORT_CHARS, what + " member address");
            members.add(CanonicalChecks.construct(in, () -> new Member(index, key, nodeId,
                    address.isEmpty() ? Optional.empty() : Optional.of(address))));
        }
        return members;
    }
}
