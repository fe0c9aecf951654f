package org.outcalls.consensus.internal;

import org.outcalls.transport.Channel;

/**
 * What this replica does where the protocol lets it act: {@link Honest}, or one of the fault
 * modes in {@code internal.byzantine} (development and tests only). The roles make the honest
 * decisions and offer the primitives a fault mode abuses; the engine asks the behaviour, never
 * the fault mode.
 */
public interface Behaviour {
    /** Whether the replica takes part at all (it starts, receives frames and acts): all but a crashed one. */
    default boolean takesPart() {
        return true;
    }

    /** The channel the replica's frames go out on, given the consensus channel: that channel, but for a silent one. */
    default Channel outgoing(Channel channel) {
        return channel;
    }

    /** At an unfinalized {@code height} with a validated block: finalization shares; whether it signed one. */
    boolean finalizationShares(Finalizer finalizer, long height);

    /** In the round at {@code height}: notarization shares; whether it signed one. */
    boolean notarizationShares(Notary notary, long height);

    /** In the round at {@code height}: block proposals; whether it proposed. */
    boolean propose(BlockMaker maker, long height);
}
