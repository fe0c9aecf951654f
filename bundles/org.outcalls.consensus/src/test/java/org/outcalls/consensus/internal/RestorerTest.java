package org.outcalls.consensus.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.outcalls.consensus.ArchivedHeight;
import org.outcalls.consensus.ConsensusStore;
import org.outcalls.consensus.internal.Wire.Proposal;

/**
 * A replica restarted on its store resumes at the newest stored height and knows again what it
 * signed above it: it does not propose twice at a height, and it does not finalization-share a block
 * other than the one it notarization-shared.
 */
class RestorerTest {
    /** Keeps everything in memory. */
    static final class MemoryStore implements ConsensusStore {
        final List<ArchivedHeight> finalized = new ArrayList<>();
        final List<long[]> heights = new ArrayList<>();
        final List<byte[]> signed = new ArrayList<>();

        @Override
        public List<ArchivedHeight> newest(int count) {
            return finalized.subList(Math.max(0, finalized.size() - count), finalized.size());
        }

        @Override
        public List<byte[]> signedAbove(long height) {
            List<byte[]> out = new ArrayList<>();
            for (int i = 0; i < signed.size(); i++) {
                if (heights.get(i)[0] > height) {
                    out.add(signed.get(i));
                }
            }
            return out;
        }

        @Override
        public void signed(long height, byte[] frame) {
            heights.add(new long[] {height});
            signed.add(frame);
        }

        @Override
        public void finalized(ArchivedHeight height) {
            finalized.add(height);
        }

        @Override
        public ArchivedHeight archived(long height) {
            for (ArchivedHeight a : finalized) {
                if (a.height() == height) {
                    return a;
                }
            }
            return null;
        }
    }

    final MemoryStore store = new MemoryStore();
    /** Replica 2 has rank 0 at height 2. */
    final int self = 2;

    @Test
    void resumesAtTheStoredHeightRememberingWhatItSigned() {
        RoleFixture before = new RoleFixture(self, store);
        Proposal one = before.proposal(before.block(1, before.tip(), 0, 10, null));
        before.accept(one);
        before.quorum(Wire.NOTARIZATION_SHARE, one);
        before.quorum(Wire.FINALIZATION_SHARE, one);
        before.advanceNotarized();
        before.finalizer.finalizeNext();
        assertEquals(1, store.finalized.size());
        Proposal other = before.proposal(before.block(2, one.hash(), 1, 20, null));
        before.accept(other);
        before.notary.share(2, other.hash()); // N(2) = {other}
        before.at(1000); // a heartbeat after round 2 began
        assertTrue(before.maker.propose(2)); // and its own rank-0 block
        assertEquals(2, store.signed.size(), "kept before it was sent");

        RoleFixture after = new RoleFixture(self, store);
        new Restorer(after.state, store, after.purger).restore();
        assertEquals(1, after.state.finalizedHeight());
        assertEquals(1, after.notarizedHeight());
        assertEquals(one.hash(), after.state.finalizedHashes.get(1L));
        assertTrue(after.maker.proposed(2), "never a second block at height 2");
        after.at(5000);
        assertFalse(after.maker.propose(2));
        assertEquals(List.of(other.hash()), List.copyOf(after.state.at(2).myNotarizationShares));
        // Its own block (not re-validated, so absent) gets notarized by the others: it must not
        // finalization-share it, having notarization-shared the other block.
        after.accept(other);
        Proposal ownBlock = RoleFixture.proposals(before.takeSent()).get(0);
        after.accept(ownBlock);
        after.quorum(Wire.NOTARIZATION_SHARE, ownBlock);
        after.advanceNotarized();
        assertNull(after.finalizer.decide(2));
    }

    @Test
    void aStoredHeightThatDoesNotExtendTheOneBeforeStopsTheRestart() {
        RoleFixture before = new RoleFixture(self, store);
        Proposal one = before.proposal(before.block(1, before.tip(), 0, 10, null));
        Proposal two = before.proposal(before.block(2, before.tip(), 0, 20, null)); // wrong parent
        store.finalized(new ArchivedHeight(1, one.hash(), one.frame(), null, null));
        store.finalized(new ArchivedHeight(2, two.hash(), two.frame(), null, null));
        RoleFixture after = new RoleFixture(self, store);
        assertThrows(IllegalStateException.class, () -> new Restorer(after.state, store, after.purger).restore());
    }
}
