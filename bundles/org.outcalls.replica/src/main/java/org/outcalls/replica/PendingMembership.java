package org.outcalls.replica;

import java.util.List;
import java.util.Objects;
import org.outcalls.crypto.PublicKey;

/**
 * A membership change agreed in a block and not in force yet: executed at {@code requestedAt}, it
 * replaces the registry's members by {@code members} when the block at {@code effectiveHeight}
 * executes ({@code requestedAt + Membership.ACTIVATION_DELAY}), on every replica; consensus runs that
 * height with them already.
 */
public record PendingMembership(long requestedAt, long effectiveHeight, List<Member> members) {
    public PendingMembership {
        Objects.requireNonNull(members, "members");
        members = List.copyOf(members);
        if (effectiveHeight <= requestedAt) {
            throw new IllegalArgumentException("effective height " + effectiveHeight + " must lie after " + requestedAt);
        }
    }

    public List<PublicKey> keys() {
        return members.stream().map(Member::publicKey).toList();
    }
}
