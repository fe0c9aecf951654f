package org.outcalls.replica;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.outcalls.consensus.Membership;
import org.outcalls.crypto.NodeKey;
import org.outcalls.crypto.PublicKey;
import org.outcalls.replica.internal.exec.ReplicaStateMachine;

/**
 * change_members through blocks: only an admin's, only against the registry version it saw, one at
 * a time; recorded at its height h and applied when the block at h + ACTIVATION_DELAY executes, on
 * every replica the same; the record survives a checkpoint.
 */
class MemberChangesTest {
    private final Fixture f = new Fixture();
    private final NodeKey newKey = Fixture.key(42);

    private List<Member> replacing2() {
        List<Member> next = new ArrayList<>(f.genesis.registry().members());
        next.set(2, Member.of(2, newKey.publicKey(), null));
        return next;
    }

    private IngressMessage change(NodeKey sender, long expectedVersion, List<Member> members) {
        return f.signed(sender, ManagementCanister.CHANGE_MEMBERS, new MembersArgument(expectedVersion, members).encode());
    }

    @Test
    void onlyAnAdminsCorrectlyAddressedChangeIsRecordedAndItAppliesActivationDelayHeightsLater() throws Exception {
        Replica a = f.replica();
        Replica b = f.replica();
        List<Member> before = f.genesis.registry().members();
        // a Byzantine replica (or anyone) signing with its own node key is no admin
        IngressMessage byMember = change(f.nodes.get(1), 1, replacing2());
        IngressMessage stale = change(f.admin, 7, replacing2());
        IngressMessage garbage = f.signed(f.admin, ManagementCanister.CHANGE_MEMBERS, new byte[] {1, 2, 3});
        IngressMessage good = change(f.admin, 1, replacing2());
        IngressMessage second = change(f.admin, 1, before);
        ExecutionResult r = Fixture.run(a, Fixture.T0 + 1, byMember, stale, garbage, good, second);
        Fixture.run(b, Fixture.T0 + 1, byMember, stale, garbage, good, second);
        assertEquals(List.of(IngressStatus.State.FAILED, IngressStatus.State.FAILED, IngressStatus.State.FAILED,
                IngressStatus.State.COMPLETED, IngressStatus.State.FAILED),
                r.ingress().stream().map(IngressStatus::state).toList());
        assertTrue(r.ingress().get(0).message().contains("is not an admin of this subnet"), r.ingress().get(0).message());
        assertTrue(r.ingress().get(1).message().contains("the registry is at version 1, not 7"), r.ingress().get(1).message());
        assertTrue(r.ingress().get(2).message().startsWith("change_members: argument:"), r.ingress().get(2).message());
        assertTrue(r.ingress().get(4).message().contains("a membership change is pending until height 65"),
                r.ingress().get(4).message());

        long effective = 1 + Membership.ACTIVATION_DELAY;
        PendingMembership pending = a.pendingMembership().orElseThrow();
        assertEquals(1, pending.requestedAt());
        assertEquals(effective, pending.effectiveHeight());
        assertEquals(before, a.registry().members(), "nothing changes before the effective height");
        MembershipSchedule s = a.membershipSchedule();
        List<PublicKey> oldKeys = MembershipSchedule.keys(before);
        List<PublicKey> newKeys = MembershipSchedule.keys(replacing2());
        assertEquals(oldKeys, s.keysAt(effective - 1, Membership.ACTIVATION_DELAY));
        assertEquals(newKeys, s.keysAt(effective, Membership.ACTIVATION_DELAY));
        assertNull(s.keysAt(effective + 1, Membership.ACTIVATION_DELAY), "a height this state cannot know yet");

        // the pending record is replicated state: in the hash and the checkpoint
        Replica restored = ReplicaStateMachine.fromCheckpoint(a.checkpoint(), id -> Optional.of(f.canister));
        assertArrayEquals(a.stateHash(), restored.stateHash());
        assertEquals(a.pendingMembership(), restored.pendingMembership());

        while (a.height() < effective) {
            long t = Fixture.T0 + 1 + a.height();
            Fixture.run(a, t);
            Fixture.run(b, t);
            Fixture.run(restored, t);
        }
        assertEquals(replacing2(), a.registry().members());
        assertEquals(2, a.registry().version());
        assertTrue(a.pendingMembership().isEmpty());
        AppliedMembership applied = a.appliedMembership().orElseThrow();
        assertEquals(effective, applied.height());
        assertEquals(2, applied.registryVersion());
        assertEquals("n 4 -> 4; replaced 2", applied.summary());
        assertEquals(before, applied.previous());
        assertArrayEquals(a.stateHash(), b.stateHash(), "every replica the same");
        assertArrayEquals(a.stateHash(), restored.stateHash(), "also one restored from the checkpoint before");

        MembershipSchedule after = a.membershipSchedule();
        assertEquals(oldKeys, after.keysAt(effective - 1, Membership.ACTIVATION_DELAY), "who ran older heights");
        assertEquals(newKeys, after.keysAt(effective, Membership.ACTIVATION_DELAY));
        assertEquals(before, after.membersAtRegistryVersion(1), "contexts opened at version 1 keep their members");
        assertEquals(replacing2(), after.membersAtRegistryVersion(2));

        Replica again = ReplicaStateMachine.fromCheckpoint(a.checkpoint(), id -> Optional.of(f.canister));
        assertEquals(a.membershipSchedule(), again.membershipSchedule(), "the history survives a checkpoint");
    }

    @Test
    void aChangeTheRulesForbidIsRefusedWithTheReason() {
        Replica a = f.replica();
        List<Member> two = new ArrayList<>(replacing2());
        two.set(3, Member.of(3, Fixture.key(43).publicKey(), null));
        ExecutionResult r = Fixture.run(a, Fixture.T0 + 1, change(f.admin, 1, two));
        assertEquals(IngressStatus.State.FAILED, r.ingress().get(0).state());
        assertTrue(r.ingress().get(0).message().startsWith(
                "change_members: 2 of the 4 members would leave or change key at once; at most f = 1"),
                r.ingress().get(0).message());
        assertTrue(a.pendingMembership().isEmpty());
    }

    @Test
    void aStateWithoutMembershipChangesHashesAsBefore() throws Exception {
        // no record, no bytes: the checkpoint and hash of a subnet whose members never changed are unchanged
        Replica a = f.replica();
        Fixture.run(a, Fixture.T0 + 1, f.call("put", "a=1"));
        assertTrue(a.pendingMembership().isEmpty() && a.appliedMembership().isEmpty());
        Replica b = ReplicaStateMachine.fromCheckpoint(a.checkpoint(), id -> Optional.of(f.canister));
        assertArrayEquals(a.stateHash(), b.stateHash());
    }
}
