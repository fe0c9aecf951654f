package org.outcalls.replica.cup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.outcalls.crypto.DecodeException;
import org.outcalls.crypto.Hash;
import org.outcalls.crypto.NodeKey;
import org.outcalls.crypto.PublicKey;

/** Assembly and checks of catch-up packages: what a replica and {@code outcalls verify-cup} accept and refuse. */
class CatchUpPackageTest {
    static final Hash SUBNET = Hash.sha256("subnet".getBytes());
    final List<NodeKey> keys = new ArrayList<>();
    final List<PublicKey> committee = new ArrayList<>();

    CatchUpPackageTest() {
        for (int i = 0; i < 4; i++) {
            NodeKey k = NodeKey.fromSeed(Hash.sha256(("member " + i).getBytes()).bytes());
            keys.add(k);
            committee.add(k.publicKey());
        }
    }

    CupContent content(long registryVersion) {
        return new CupContent(SUBNET, 100, Hash.sha256("block".getBytes()), Hash.sha256("state".getBytes()),
                Hash.sha256("manifest".getBytes()), registryVersion, committee);
    }

    CatchUpPackage signedBy(CupContent c, int... signers) {
        TreeMap<Integer, byte[]> sigs = new TreeMap<>();
        for (int s : signers) {
            sigs.put(s, CupShare.sign(c, s, keys.get(s)).signature());
        }
        return CatchUpPackage.of(c, sigs);
    }

    @Test
    void nMinusFSharesMakeAGenuinePackageThatSurvivesItsEncoding() throws DecodeException {
        CatchUpPackage cup = signedBy(content(3), 0, 2, 3);
        assertTrue(cup.problem().isEmpty(), cup.problem().toString());
        assertTrue(cup.problemAgainst(SUBNET, 3, committee).isEmpty());
        CatchUpPackage back = CatchUpPackage.decode(cup.encode());
        assertEquals(cup.content(), back.content());
        assertEquals(cup.signatures().keySet(), back.signatures().keySet());
        assertArrayEquals(cup.encode(), back.encode());
        CupShare share = CupShare.sign(content(3), 1, keys.get(1));
        assertTrue(CupShare.decode(share.encode()).verify());
    }

    @Test
    void tooFewSignersAreRefused() {
        CatchUpPackage cup = signedBy(content(3), 0, 3);
        assertEquals("signed by 2 of 4 replicas; it needs 3 (n - f)", cup.problem().orElseThrow());
    }

    @Test
    void aForgedShareIsRefused() {
        CupContent c = content(3);
        // replica 1's slot, signed with replica 2's key: a faulty replica cannot sign in another's name
        byte[] forged = keys.get(2).sign(CupContent.SHARE_DOMAIN, c.signedBody());
        assertFalse(new CupShare(c, 1, forged).verify());
        TreeMap<Integer, byte[]> sigs = new TreeMap<>(signedBy(c, 0, 3).signatures());
        sigs.put(1, forged);
        assertTrue(CatchUpPackage.of(c, sigs).problem().orElseThrow().contains("member 1"));
        // a genuine signature over other content (another state hash) does not carry over either
        CupContent other = new CupContent(SUBNET, 100, c.blockHash(), Hash.sha256("other state".getBytes()),
                c.manifestHash(), 3, committee);
        sigs.put(1, CupShare.sign(other, 1, keys.get(1)).signature());
        assertTrue(CatchUpPackage.of(c, sigs).problem().isPresent());
        assertThrows(IllegalArgumentException.class, () -> CupShare.sign(c, 1, keys.get(2)));
    }

    @Test
    void aPackageOfAnotherRegistryVersionCommitteeOrSubnetIsRefusedAgainstThisRegistry() {
        CatchUpPackage cup = signedBy(content(3), 0, 1, 2, 3);
        assertEquals("it names registry version 3, the registry given is at version 4",
                cup.problemAgainst(SUBNET, 4, committee).orElseThrow());
        List<PublicKey> replaced = new ArrayList<>(committee);
        replaced.set(2, NodeKey.fromSeed(new byte[32]).publicKey());
        assertTrue(cup.problemAgainst(SUBNET, 3, replaced).orElseThrow().startsWith("its committee"));
        assertTrue(cup.problemAgainst(Hash.sha256("x".getBytes()), 3, committee).orElseThrow().startsWith("it is for subnet"));
    }

    @Test
    void decodingIsExact() {
        byte[] good = signedBy(content(3), 0, 1, 2).encode();
        byte[] trailing = java.util.Arrays.copyOf(good, good.length + 1);
        assertThrows(DecodeException.class, () -> CatchUpPackage.decode(trailing));
        assertThrows(DecodeException.class, () -> CatchUpPackage.decode(java.util.Arrays.copyOf(good, good.length - 1)));
        assertThrows(DecodeException.class, () -> CatchUpPackage.decode("not a package".getBytes()));
        assertThrows(DecodeException.class, () -> CupShare.decode(new byte[] {2, 0}));
    }
}
