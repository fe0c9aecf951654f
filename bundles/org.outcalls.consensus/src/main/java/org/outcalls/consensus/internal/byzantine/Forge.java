package org.outcalls.consensus.internal.byzantine;

import org.outcalls.consensus.internal.Behaviour;
import org.outcalls.consensus.internal.BlockMaker;
import org.outcalls.consensus.internal.Finalizer;
import org.outcalls.consensus.internal.Notary;

/**
 * {@link org.outcalls.consensus.FaultMode#FORGE}: follows the chain, but instead of taking part
 * sends every kind of garbage once per round ({@link Forger}); it never signs a genuine
 * notarization or finalization share.
 */
final class Forge implements Behaviour {
    private final Forger forger;
    private long lastForgedRound;

    Forge(Forger forger) {
        this.forger = forger;
    }

    @Override
    public boolean finalizationShares(Finalizer finalizer, long height) {
        finalizer.decide(height); // decides like an honest replica, but a forger signs only garbage
        return false;
    }

    @Override
    public boolean notarizationShares(Notary notary, long height) {
        return false;
    }

    @Override
    public boolean propose(BlockMaker maker, long height) {
        if (maker.proposed(height) || lastForgedRound == height) {
            return false;
        }
        lastForgedRound = height;
        maker.markProposed(height);
        BlockMaker.Parent parent = maker.parent(height);
        if (parent != null) {
            forger.forge(maker.publisher().out(), height, parent.block(), parent.hash(), maker.sectionNames());
        }
        return false;
    }
}
