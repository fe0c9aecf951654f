package org.outcalls.consensus.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.outcalls.consensus.Block;
import org.outcalls.consensus.internal.Validator.Verdict;
import org.outcalls.consensus.internal.Wire.Aggregate;
import org.outcalls.consensus.internal.Wire.Proposal;
import org.outcalls.consensus.internal.Wire.Share;
import org.outcalls.crypto.Hash;

/**
 * The validator accepts what is valid, rejects what is provably bad (rank, time, signature,
 * payload), defers what may become valid (unknown parent, future time, a payload it cannot judge
 * here) and drops what is useless; a block it cannot judge is followed, unchecked, once notarized.
 */
class ValidatorTest {
    final RoleFixture fx = new RoleFixture(0);

    private Block block(int rank, long ms, String payload) {
        return fx.block(1, fx.tip(), rank, ms, payload);
    }

    @Test
    void acceptsAValidBlockAndDropsItsDuplicate() {
        Proposal p = fx.proposal(block(1, 10, "ok"));
        assertEquals(Verdict.ACCEPT, fx.validator.check(p));
        fx.accept(p);
        assertEquals(Verdict.DROP, fx.validator.check(p));
    }

    @Test
    void rejectsAWrongRankAnUnknownMakerOrABadSignature() {
        Block b = block(1, 10, null);
        Block wrongRank = new Block(1, b.parent(), 2, b.maker(), b.time(), b.payload());
        assertEquals(Verdict.REJECT, fx.validator.check(fx.proposal(wrongRank)));
        Block noMember = new Block(1, b.parent(), 1, RoleFixture.N, b.time(), b.payload());
        assertEquals(Verdict.REJECT, fx.validator.check(fx.signedBy(noMember, 0)));
        int other = (b.maker() + 1) % RoleFixture.N;
        assertEquals(Verdict.REJECT, fx.validator.check(fx.signedBy(b, other)), "signed with another key");
    }

    @Test
    void rejectsABlockWhoseTimeIsNotAfterItsParents() {
        Proposal one = fx.proposal(block(0, 50, null));
        fx.accept(one);
        fx.quorum(Wire.NOTARIZATION_SHARE, one);
        Proposal same = fx.proposal(fx.block(2, one.hash(), 0, 50, null));
        assertEquals(Verdict.REJECT, fx.validator.check(same));
        Proposal later = fx.proposal(fx.block(2, one.hash(), 0, 51, null));
        assertEquals(Verdict.ACCEPT, fx.validator.check(later));
    }

    @Test
    void defersABlockFromTheFutureUntilItsTimeIsNear() {
        Proposal p = fx.proposal(block(0, 2000, null)); // 2 s ahead, tolerance 500 ms
        assertEquals(Verdict.DEFER, fx.validator.check(p));
        assertEquals(p.block().time() - RoleFixture.TOLERANCE, fx.state.takeDue());
        fx.at(1500);
        assertEquals(Verdict.ACCEPT, fx.validator.check(p));
    }

    @Test
    void defersAnUnknownOrUnnotarizedParentAndDropsABranchBelowTheFinalizedHeight() {
        Proposal one = fx.proposal(block(0, 10, null));
        Proposal two = fx.proposal(fx.block(2, one.hash(), 0, 20, null));
        assertEquals(Verdict.DEFER, fx.validator.check(two), "parent unknown");
        fx.accept(one);
        assertEquals(Verdict.DEFER, fx.validator.check(two), "parent not notarized");
        fx.quorum(Wire.NOTARIZATION_SHARE, one);
        assertEquals(Verdict.ACCEPT, fx.validator.check(two));

        Proposal offChain = fx.proposal(fx.block(1, Hash.sha256(new byte[] {1}), 0, 10, null));
        assertEquals(Verdict.DROP, fx.validator.check(offChain), "its parent at height 0 is not the genesis block");
    }

    @Test
    void rejectsAnInvalidPayloadOrAnUnknownSection() {
        assertEquals(Verdict.REJECT, fx.validator.check(fx.proposal(block(0, 10, "bad"))));
        Block b = block(0, 10, null);
        TreeMap<String, byte[]> unknown = new TreeMap<>();
        unknown.put("zz", new byte[] {1});
        Block withUnknown = new Block(1, b.parent(), 0, b.maker(), b.time(), unknown);
        assertEquals(Verdict.REJECT, fx.validator.check(fx.proposal(withUnknown)));
    }

    @Test
    void aSectionSeesItsPayloadsInTheBlocksAncestors() {
        Proposal one = fx.proposal(block(0, 10, "first"));
        fx.accept(one);
        fx.quorum(Wire.NOTARIZATION_SHARE, one);
        Proposal two = fx.proposal(fx.block(2, one.hash(), 0, 20, null));
        fx.accept(two);
        fx.quorum(Wire.NOTARIZATION_SHARE, two);
        fx.section.ancestorsSeen.clear();
        assertEquals(Verdict.ACCEPT, fx.validator.check(fx.proposal(fx.block(3, two.hash(), 0, 30, "third"))));
        assertEquals(java.util.List.of("", "first"), fx.section.ancestorsSeen.get(0),
                "newest first, an empty payload for a block without one, never the genesis block");
    }

    @Test
    void aBlockItCannotJudgeWaitsAndIsFollowedWithoutAVoteOnceNotarized() {
        fx.section.cannotValidate = true;
        Proposal p = fx.proposal(block(0, 10, "needs-p"));
        assertEquals(Verdict.DEFER, fx.validator.check(p), "not the maker's fault: waits");
        assertEquals(0, fx.state.counters.get(Counters.INVALID));
        fx.quorum(Wire.NOTARIZATION_SHARE, p); // n − f others checked it
        assertEquals(Verdict.ACCEPT, fx.validator.check(p));
        fx.accept(p);
        assertTrue(fx.state.at(1).unchecked.contains(p.hash()), "marked unchecked");
        fx.at(10_000);
        assertFalse(fx.notary.shareBest(1), "never voted for");
        assertTrue(RoleFixture.shares(fx.takeSent(), Wire.NOTARIZATION_SHARE).isEmpty());
        fx.advanceNotarized();
        assertEquals(1, fx.notarizedHeight(), "followed: the replica moves past the height");
    }

    @Test
    void aDeferredArtifactIsLookedAtAgainOnlyAfterSomethingChanged() {
        fx.section.cannotValidate = true;
        Proposal p = fx.proposal(block(0, 10, "needs-p"));
        assertTrue(fx.state.pool.offer(1, p).admitted());
        assertFalse(fx.validator.processUnvalidated());
        assertEquals(1, fx.section.ancestorsSeen.size());
        assertEquals(1, fx.validator.deferredCount());
        assertFalse(fx.validator.processUnvalidated());
        assertEquals(1, fx.section.ancestorsSeen.size(), "same epoch: not checked again");
        fx.section.cannotValidate = false; // the plugin is installed
        fx.state.epoch++; // a wake-up
        assertTrue(fx.validator.processUnvalidated());
        assertTrue(fx.state.at(1).proposals.containsKey(p.hash()));
        assertFalse(fx.state.at(1).unchecked.contains(p.hash()), "checked here after all");
    }

    @Test
    void aRejectedArtifactCountsAgainstItsSender() {
        Block b = block(1, 10, null);
        Proposal forged = fx.signedBy(b, (b.maker() + 1) % RoleFixture.N);
        assertTrue(fx.state.pool.offer(3, forged).admitted());
        assertFalse(fx.validator.processUnvalidated());
        assertEquals(1, fx.state.counters.get(Counters.INVALID));
        assertEquals(0, fx.state.pool.unvalidatedCount());
    }

    @Test
    void checksSharesSignerAndSignature() {
        Proposal p = fx.proposal(block(0, 10, null));
        Share good = fx.share(Wire.NOTARIZATION_SHARE, 1, p.hash(), 2);
        assertEquals(Verdict.ACCEPT, fx.validator.check(good), "a share may come before its block");
        fx.accept(good);
        assertEquals(Verdict.DROP, fx.validator.check(good), "known");
        Share forged = Wire.share(Wire.NOTARIZATION_SHARE, 1, p.hash(), 3, good.signature());
        assertEquals(Verdict.REJECT, fx.validator.check(forged), "another signer's signature");
        Share noMember = Wire.share(Wire.FINALIZATION_SHARE, 1, p.hash(), RoleFixture.N, good.signature());
        assertEquals(Verdict.REJECT, fx.validator.check(noMember));
        Share wrongKind = Wire.share(Wire.FINALIZATION_SHARE, 1, p.hash(), 2, good.signature());
        assertEquals(Verdict.REJECT, fx.validator.check(wrongKind), "a notarization signature is no finalization share");
    }

    @Test
    void checksEveryAggregateSignatureAndTheQuorum() {
        Proposal p = fx.proposal(block(0, 10, null));
        TreeMap<Integer, byte[]> sigs = new TreeMap<>();
        for (int i = 1; i < RoleFixture.N; i++) {
            sigs.put(i, fx.share(Wire.FINALIZATION_SHARE, 1, p.hash(), i).signature());
        }
        assertEquals(Verdict.ACCEPT, fx.validator.check(Wire.aggregate(Wire.FINALIZATION, 1, p.hash(), sigs)));
        TreeMap<Integer, byte[]> forged = new TreeMap<>(sigs);
        forged.put(3, sigs.get(2));
        assertEquals(Verdict.REJECT, fx.validator.check(Wire.aggregate(Wire.FINALIZATION, 1, p.hash(), forged)));
        TreeMap<Integer, byte[]> tooFew = new TreeMap<>(sigs);
        tooFew.remove(3);
        assertEquals(Verdict.REJECT, fx.validator.check(Wire.aggregate(Wire.FINALIZATION, 1, p.hash(), tooFew)));
        Aggregate asNotarization = Wire.aggregate(Wire.NOTARIZATION, 1, p.hash(), sigs);
        assertEquals(Verdict.REJECT, fx.validator.check(asNotarization), "finalization signatures do not notarize");
    }

    @Test
    void dropsWhatIsAtOrBelowTheFinalizedHeight() {
        Proposal one = fx.proposal(block(0, 10, null));
        fx.accept(one);
        fx.quorum(Wire.NOTARIZATION_SHARE, one);
        fx.quorum(Wire.FINALIZATION_SHARE, one);
        fx.advanceNotarized();
        fx.finalizer.finalizeNext();
        assertEquals(Verdict.DROP, fx.validator.check(fx.proposal(block(1, 20, null))));
        assertEquals(Verdict.DROP, fx.validator.check(fx.share(Wire.NOTARIZATION_SHARE, 1, one.hash(), 1)));
    }
}
