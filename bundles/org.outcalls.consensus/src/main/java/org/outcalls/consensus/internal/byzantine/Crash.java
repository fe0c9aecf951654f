package org.outcalls.consensus.internal.byzantine;

import org.outcalls.consensus.internal.Honest;

/** {@link org.outcalls.consensus.FaultMode#CRASH}: takes no part at all (never starts, receives nothing, sends nothing). */
final class Crash extends Honest {
    @Override
    public boolean takesPart() {
        return false;
    }
}
