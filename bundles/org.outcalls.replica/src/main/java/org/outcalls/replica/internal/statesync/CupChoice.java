package org.outcalls.replica.internal.statesync;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.outcalls.crypto.DecodeException;
import org.outcalls.crypto.Hash;
import org.outcalls.crypto.PublicKey;
import org.outcalls.replica.cup.CatchUpPackage;
import org.outcalls.replica.internal.statesync.SyncWire.CupReply;

/**
 * Whether to sync, and to which package: the newest catch-up package the peers offered that is
 * genuine (n − f of its own committee signed it) and that this replica trusts (its committee is the
 * one this replica knows, or f + 1 of the known members are among its signers), if it lies above
 * this replica's stored tip and either the store is empty or fewer than f + 1 peers say they still
 * keep the next height (then catch-up cannot bring this replica forward; f liars cannot stop it).
 */
public final class CupChoice {
    /** The package to sync to and the peers that offered it (they have its checkpoint). */
    public record Choice(CatchUpPackage cup, List<Integer> holders) {
    }

    private CupChoice() {
    }

    /**
     * @param trusted  the members this replica knows (its configuration's or its store's registry)
     * @param ownTip   the highest finalized height in its store (0 if empty)
     * @param empty    whether its store holds nothing (no chain, no checkpoint)
     * @param f        faults tolerated among the members it knows
     */
    public static Optional<Choice> choose(Hash subnetId, List<PublicKey> trusted, long ownTip, boolean empty,
                                          Map<Integer, CupReply> replies, int f) {
        CatchUpPackage best = null;
        List<Integer> holders = new ArrayList<>();
        int keepNext = 0;
        for (Map.Entry<Integer, CupReply> e : replies.entrySet()) {
            CupReply r = e.getValue();
            if (r.lowestRetained() >= 0 && r.lowestRetained() <= ownTip + 1 && r.finalized() > ownTip) {
                keepNext++;
            }
            Optional<CatchUpPackage> cup = trustedCup(r.cup(), subnetId, trusted);
            if (cup.isEmpty()) {
                continue;
            }
            long h = cup.get().height();
            if (best == null || h > best.height()) {
                best = cup.get();
                holders.clear();
            }
            if (h == best.height()) {
                holders.add(e.getKey());
            }
        }
        if (best == null || best.height() <= ownTip || (!empty && keepNext >= f + 1)) {
            return Optional.empty();
        }
        return Optional.of(new Choice(best, List.copyOf(holders)));
    }

    /** The package in {@code bytes} if it is genuine, for this subnet, and trusted by {@code trusted}. */
    static Optional<CatchUpPackage> trustedCup(byte[] bytes, Hash subnetId, List<PublicKey> trusted) {
        if (bytes == null) {
            return Optional.empty();
        }
        CatchUpPackage cup;
        try {
            cup = CatchUpPackage.decode(bytes);
        } catch (DecodeException e) {
            return Optional.empty();
        }
        if (!cup.content().subnetId().equals(subnetId) || cup.problem().isPresent()) {
            return Optional.empty();
        }
        // Its committee is the one known here, or f + 1 of the members known here signed it: at least
        // one of them is honest and signs only a checkpoint it wrote itself, committee included. So a
        // replica that knows the members of one registry version trusts a package made after a
        // membership change (f + 1 of its members are kept, MembershipRules), and one that joined
        // with the new members trusts one made before it.
        int n = trusted.size();
        boolean trustedCommittee = cup.content().committee().equals(trusted)
                || cup.signersAmong(Set.copyOf(trusted)) >= (n - 1) / 3 + 1;
        return trustedCommittee ? Optional.of(cup) : Optional.empty();
    }
}
