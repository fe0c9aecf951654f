package org.outcalls.replica;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.outcalls.crypto.PublicKey;

/**
 * Who the members are at each height and at each registry version, as one executed state says: the
 * registry's members now, a pending change (from its effective height on) and every change applied
 * before (newest last), each with the members it replaced. Immutable; derived from replicated state
 * only, so every replica that executed the same chain gives the same answers.
 */
public record MembershipSchedule(long executedHeight, List<Member> current, Optional<PendingMembership> pending,
                                 List<AppliedMembership> applied) {
    public MembershipSchedule {
        current = List.copyOf(current);
        Objects.requireNonNull(pending, "pending");
        applied = List.copyOf(applied);
    }

    /** The members that run consensus at {@code height} (a change applied at E runs E with the new ones). */
    public List<Member> membersAt(long height) {
        if (pending.isPresent() && height >= pending.get().effectiveHeight()) {
            return pending.get().members();
        }
        List<Member> members = current;
        for (int i = applied.size() - 1; i >= 0 && height < applied.get(i).height(); i--) {
            members = applied.get(i).previous();
        }
        return members;
    }

    /** The members of the registry at {@code version}: those that answer a request context opened then. */
    public List<Member> membersAtRegistryVersion(long version) {
        List<Member> members = current;
        for (int i = applied.size() - 1; i >= 0 && version < applied.get(i).registryVersion(); i--) {
            members = applied.get(i).previous();
        }
        return members;
    }

    /**
     * The keys at {@code height}, or null if this state cannot know them yet: a change executed at
     * a height above {@code executedHeight} may take effect from {@code executedHeight + 1 +
     * activationDelay} on.
     */
    public List<PublicKey> keysAt(long height, int activationDelay) {
        if (height > executedHeight + activationDelay) {
            return null;
        }
        return keys(membersAt(height));
    }

    /** The newest members this state knows of: the pending change's, or the registry's. */
    public List<Member> newest() {
        return pending.map(PendingMembership::members).orElse(current);
    }

    public static List<PublicKey> keys(List<Member> members) {
        return members.stream().map(Member::publicKey).toList();
    }
}
