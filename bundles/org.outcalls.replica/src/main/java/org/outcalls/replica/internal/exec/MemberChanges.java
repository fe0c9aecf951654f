package org.outcalls.replica.internal.exec;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.outcalls.consensus.Membership;
import org.outcalls.crypto.DecodeException;
import org.outcalls.replica.IngressMessage;
import org.outcalls.replica.Member;
import org.outcalls.replica.MembersArgument;
import org.outcalls.replica.MembershipRules;
import org.outcalls.replica.PendingMembership;
import org.outcalls.replica.SubnetRegistry;
import org.outcalls.replica.AppliedMembership;
import org.outcalls.replica.internal.state.ReplicatedState;

/**
 * {@code change_members}: an admin's new member list, checked against {@link MembershipRules} and
 * the registry version the admin saw, becomes a pending change in replicated state that takes effect
 * when the block at {@code height + Membership.ACTIVATION_DELAY} executes — the height consensus
 * already runs with the new members, so n, f and the threshold switch there on every replica.
 * Deterministic: only the block's inputs and the state decide.
 */
final class MemberChanges {
    private MemberChanges() {
    }

    /** Executes a {@code change_members} message from an admin at the state's (the block's) height. */
    static void execute(ReplicatedState state, IngressMessage m) throws AdminMethods.Refused {
        MembersArgument arg;
        try {
            arg = MembersArgument.decode(m.argument());
        } catch (DecodeException e) {
            throw new AdminMethods.Refused("change_members: argument: " + e.getMessage());
        }
        SubnetRegistry registry = state.registry();
        if (arg.expectedRegistryVersion() != registry.version()) {
            throw new AdminMethods.Refused("change_members: the registry is at version " + registry.version()
                    + ", not " + arg.expectedRegistryVersion() + " as the sender saw it; look at the members again");
        }
        for (Member member : arg.members()) {
            if (member.hostPort().isEmpty() && registry.members().stream().anyMatch(x -> x.hostPort().isPresent())) {
                throw new AdminMethods.Refused("change_members: member " + member.index() + " has no address (host:port)");
            }
        }
        Optional<String> refusal = MembershipRules.refusal(registry, Optional.ofNullable(state.pendingMembership()),
                arg.members());
        if (refusal.isPresent()) {
            throw new AdminMethods.Refused("change_members: " + refusal.get());
        }
        try {
            registry.withMembers(arg.members()); // the registry's own checks (node ids, keys) before anything changes
        } catch (IllegalArgumentException e) {
            throw new AdminMethods.Refused("change_members: " + e.getMessage());
        }
        long h = state.height();
        state.setMembership(new PendingMembership(h, h + Membership.ACTIVATION_DELAY, arg.members()),
                state.appliedMemberships());
    }

    /** At the start of each block: a pending change whose height has come replaces the registry's members. */
    static void applyDue(ReplicatedState state) {
        PendingMembership p = state.pendingMembership();
        if (p == null || state.height() < p.effectiveHeight()) {
            return;
        }
        SubnetRegistry before = state.registry();
        SubnetRegistry after = before.withMembers(p.members());
        state.setRegistry(after);
        List<AppliedMembership> applied = new ArrayList<>(state.appliedMemberships());
        applied.add(new AppliedMembership(state.height(), after.version(), MembershipRules.describe(before.members(), p.members()),
                before.members()));
        state.setMembership(null, applied);
    }
}
