package org.outcalls.replica;

import java.util.List;
import java.util.Optional;

/**
 * Which membership changes a subnet accepts (an admin message {@code change_members} that breaks a
 * rule is refused when its block executes, and {@code outcalls admin replace-member|add-member|remove-member}
 * check the same before
 * sending). With the old members O (n, f = ⌊(n − 1)/3⌋) and the new ones N (n', f', threshold
 * t' = n' − f'), where a member is <em>kept</em> if N has its key at its index:
 * <ol>
 * <li>No other change is pending (one switch height at a time).</li>
 * <li>Indices stay 0..n'−1 with distinct keys (every member keeps its index for life: shares,
 * certificates and policy committees name replicas by index). So members are added at the end and
 * removed from the end; a member elsewhere is replaced (same index, new key and address).</li>
 * <li>At most f members of O leave or change key: consecutive committees share at least n − f
 * members, so at least n − 2f ≥ f + 1 honest members of the old committee carry the chain, its state
 * and its catch-up packages into the new one.</li>
 * <li>At least t' members are kept: the new committee reaches its threshold with replicas that are
 * already running and in sync, while the new ones still fetch the state (they sync from a catch-up
 * package only those can sign). Adding more than that at once would halt the subnet at the switch.</li>
 * </ol>
 * So 4 → 5 (keep 4 ≥ t' = 4) and 5 → 7 (keep 5 ≥ 5) are allowed, 4 → 7 (keep 4 &lt; 5) is not;
 * 7 → 5 (2 leave ≤ f = 2) and 5 → 4 are, 7 → 4 (3 leave) is not; replacing one of 4 is.
 */
public final class MembershipRules {
    /** The most members a subnet may have (consensus and the TCP transport size per-peer state for 64). */
    public static final int MAX_MEMBERS = 64;

    private MembershipRules() {
    }

    /** Why changing {@code registry}'s members to {@code proposed} is refused, or empty if it is allowed. */
    public static Optional<String> refusal(SubnetRegistry registry, Optional<PendingMembership> pending,
                                           List<Member> proposed) {
        return refusal(registry.members(), pending.map(PendingMembership::effectiveHeight), proposed);
    }

    /**
     * Why changing the members {@code old} to {@code proposed} is refused, or empty if it is allowed.
     *
     * @param pendingUntil the effective height of a change still pending, if there is one
     */
    public static Optional<String> refusal(List<Member> old, Optional<Long> pendingUntil, List<Member> proposed) {
        if (pendingUntil.isPresent()) {
            return Optional.of("a membership change is pending until height " + pendingUntil.get()
                    + "; one change per activation window (" + org.outcalls.consensus.Membership.ACTIVATION_DELAY
                    + " heights): send the next one once it took effect");
        }
        if (proposed.isEmpty()) {
            return Optional.of("the new member list is empty");
        }
        if (proposed.size() > MAX_MEMBERS) {
            return Optional.of("a subnet has at most " + MAX_MEMBERS + " members (consensus and the transport keep per-peer "
                    + "state for that many); the new list has " + proposed.size());
        }
        for (int i = 0; i < proposed.size(); i++) {
            if (proposed.get(i).index() != i) {
                return Optional.of("member " + proposed.get(i).index() + " at position " + i
                        + ": indices must stay 0..n-1 (members are added and removed at the end)");
            }
        }
        if (proposed.stream().map(Member::publicKey).distinct().count() != proposed.size()) {
            return Optional.of("a key appears twice in the new member list");
        }
        if (proposed.equals(old)) {
            return Optional.of("the new member list is the current one");
        }
        int kept = 0;
        for (Member m : old) {
            if (m.index() < proposed.size() && proposed.get(m.index()).publicKey().equals(m.publicKey())) {
                kept++;
            }
        }
        int n = old.size();
        int f = (n - 1) / 3;
        int leaving = n - kept;
        if (leaving > f) {
            return Optional.of(leaving + " of the " + n + " members would leave or change key at once; at most f = " + f
                    + " may per change, so that the old and the new committee share n - f members and the honest ones "
                    + "among them carry the chain and its state over; replace or remove the others in later changes");
        }
        int n2 = proposed.size();
        int threshold2 = n2 - (n2 - 1) / 3;
        if (kept < threshold2) {
            return Optional.of("the new " + n2 + " members need " + threshold2 + " signatures (n - f) at every height, but only "
                    + kept + " of them are members now (the new ones still have to sync their state); with " + kept
                    + " kept the new list may have at most " + largestWithThreshold(kept) + " members");
        }
        return Optional.empty();
    }

    /** The largest subnet whose threshold {@code kept} members reach alone: the largest n with kept >= n - (n - 1) / 3. */
    static int largestWithThreshold(int kept) {
        int n = kept;
        while (kept >= (n + 1) - n / 3) {
            n++;
        }
        return n;
    }

    /** What changing {@code old} into {@code next} does, for people: "n 4 -> 5; added 4", "n 4 -> 4; replaced 2". */
    public static String describe(List<Member> old, List<Member> next) {
        StringBuilder added = new StringBuilder();
        StringBuilder removed = new StringBuilder();
        StringBuilder replaced = new StringBuilder();
        StringBuilder moved = new StringBuilder();
        for (int i = 0; i < Math.max(old.size(), next.size()); i++) {
            Member o = i < old.size() ? old.get(i) : null;
            Member n = i < next.size() ? next.get(i) : null;
            if (o == null) {
                append(added, i);
            } else if (n == null) {
                append(removed, i);
            } else if (!o.publicKey().equals(n.publicKey())) {
                append(replaced, i);
            } else if (!o.hostPort().equals(n.hostPort())) {
                append(moved, i);
            }
        }
        StringBuilder b = new StringBuilder("n " + old.size() + " -> " + next.size());
        part(b, "added", added);
        part(b, "removed", removed);
        part(b, "replaced", replaced);
        part(b, "moved", moved);
        return b.toString();
    }

    private static void append(StringBuilder b, int i) {
        b.append(b.length() == 0 ? "" : ", ").append(i);
    }

    private static void part(StringBuilder b, String what, StringBuilder indices) {
        if (indices.length() > 0) {
            b.append("; ").append(what).append(' ').append(indices);
        }
    }
}
