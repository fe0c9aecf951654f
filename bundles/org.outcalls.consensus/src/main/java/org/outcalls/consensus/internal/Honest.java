package org.outcalls.consensus.internal;

/**
 * The protocol as the README describes it: each role makes its own decisions. The fault modes that
 * only withhold ({@code byzantine.Crash}, {@code byzantine.Silent}) extend it.
 */
public class Honest implements Behaviour {
    @Override
    public boolean finalizationShares(Finalizer finalizer, long height) {
        return finalizer.shareIfOnlyNotarized(height);
    }

    @Override
    public boolean notarizationShares(Notary notary, long height) {
        return notary.shareBest(height);
    }

    @Override
    public boolean propose(BlockMaker maker, long height) {
        return maker.propose(height);
    }
}
