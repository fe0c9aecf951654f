package org.outcalls.replica.internal.statesync;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.outcalls.crypto.Hash;
import org.outcalls.crypto.NodeKey;
import org.outcalls.crypto.PublicKey;
import org.outcalls.replica.cup.CatchUpPackage;
import org.outcalls.replica.cup.CupContent;
import org.outcalls.replica.cup.CupShare;

/**
 * Which catch-up packages a replica trusts across a membership change: one of a committee it does
 * not know counts if f + 1 of the members it knows signed it (one of them is honest and signed its
 * own checkpoint, committee included) — both ways round a change; a committee a Byzantine member
 * made up with strangers, signed by it alone among the known, does not.
 */
class CupTrustTest {
    private static final Hash SUBNET = Hash.sha256("subnet".getBytes());

    private static NodeKey key(String name) {
        return NodeKey.fromSeed(Hash.sha256(name.getBytes()).bytes());
    }

    private static byte[] cup(List<NodeKey> committee, int... signers) {
        List<PublicKey> keys = committee.stream().map(NodeKey::publicKey).toList();
        CupContent c = new CupContent(SUBNET, 100, Hash.sha256("block".getBytes()), Hash.sha256("state".getBytes()),
                Hash.sha256("manifest".getBytes()), 2, keys);
        TreeMap<Integer, byte[]> sigs = new TreeMap<>();
        for (int s : signers) {
            sigs.put(s, CupShare.sign(c, s, committee.get(s)).signature());
        }
        return CatchUpPackage.of(c, sigs).encode();
    }

    @Test
    void aChangedCommitteeIsTrustedWithFPlusOneKnownSignersAndAMadeUpOneIsNot() {
        List<NodeKey> old = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            old.add(key("member " + i));
        }
        List<NodeKey> replaced = new ArrayList<>(old);
        replaced.set(2, key("successor 2"));
        List<PublicKey> knownOld = old.stream().map(NodeKey::publicKey).toList();
        List<PublicKey> knownNew = replaced.stream().map(NodeKey::publicKey).toList();

        // a replica that knows the old members, a package made after member 2 was replaced (signed by 0, 1, 3)
        assertTrue(CupChoice.trustedCup(cup(replaced, 0, 1, 3), SUBNET, knownOld).isPresent());
        // the joining replica knows the new members, the package was made before the change
        assertTrue(CupChoice.trustedCup(cup(old, 0, 1, 3), SUBNET, knownNew).isPresent());

        // Byzantine member 0 makes up a committee with three strangers: genuine by its own committee,
        // but only one known member (f = 1) signed it
        List<NodeKey> madeUp = List.of(old.get(0), key("stranger 1"), key("stranger 2"), key("stranger 3"));
        assertTrue(CupChoice.trustedCup(cup(madeUp, 0, 1, 2), SUBNET, knownOld).isEmpty());
        // and a removed member's package signed by the strangers alone is nothing
        assertTrue(CupChoice.trustedCup(cup(madeUp, 1, 2, 3), SUBNET, knownOld).isEmpty());
    }
}
