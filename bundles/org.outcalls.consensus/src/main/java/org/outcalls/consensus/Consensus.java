package org.outcalls.consensus;

import java.util.List;
import org.outcalls.consensus.internal.ConsensusEngine;
import org.outcalls.consensus.internal.byzantine.FaultBehaviours;
import org.outcalls.crypto.Hash;
import org.outcalls.transport.Channel;
import org.outcalls.transport.Clock;
import org.outcalls.transport.Scheduler;

/**
 * One replica's instance of Internet Computer Consensus. Single-threaded: it runs entirely on the
 * replica's protocol thread (the {@code scheduler}'s), where the channel also delivers frames;
 * the public methods may be called from any thread. See the bundle's README for the protocol.
 */
public final class Consensus {
    private final ConsensusEngine engine;

    /**
     * @param config    this replica's configuration
     * @param channel   the "consensus" channel of this replica's transport
     * @param sections  the payload sections, each with a distinct name
     * @param listener  receives the finalized chain, in order, once per height
     * @param clock     this replica's clock (block times, validation of block times)
     * @param scheduler this replica's protocol thread
     */
    public Consensus(ConsensusConfig config, Channel channel, List<PayloadSection> sections,
            ConsensusListener listener, Clock clock, Scheduler scheduler) {
        this(config, channel, sections, listener, clock, scheduler, null);
    }

    /**
     * A replica that persists: at {@link #start()} it resumes from the store's newest finalized
     * height and what it signed above it (the listener is not called again for heights the store
     * has), records every own artifact before sending it, archives every finalized height, and
     * serves peers that are behind from the archive when the height is no longer in memory.
     *
     * @param store null for a replica that keeps everything in memory
     */
    public Consensus(ConsensusConfig config, Channel channel, List<PayloadSection> sections,
            ConsensusListener listener, Clock clock, Scheduler scheduler, ConsensusStore store) {
        this(config, channel, sections, listener, clock, scheduler, store, Membership.fixed(config.members()));
    }

    /**
     * A replica whose members may change with its registry: {@code membership} says who runs each
     * height ({@code config.members()} are the initial ones, and {@code config.self()} this replica's
     * index for as long as it is a member). At a height where it is not a member it validates and
     * follows but signs nothing; at one it cannot know yet it waits.
     */
    public Consensus(ConsensusConfig config, Channel channel, List<PayloadSection> sections,
            ConsensusListener listener, Clock clock, Scheduler scheduler, ConsensusStore store, Membership membership) {
        this.engine = new ConsensusEngine(config, channel, sections, listener, clock, scheduler, store, membership,
                FaultBehaviours::of);
    }

    /** Starts taking part: installs the channel receiver and begins the first round. */
    public void start() {
        engine.start();
    }

    /** A payload section has new work: a block maker may propose before the heartbeat. Any thread. */
    public void workAvailable() {
        engine.workAvailable();
    }

    /** The height of the newest block delivered to the listener (0 before any). Any thread. */
    public long finalizedHeight() {
        return engine.finalizedHeight();
    }

    /** The hash of the finalized block at {@code height}, or null if not finalized here (or long forgotten). Any thread. */
    public Hash finalizedHash(long height) {
        return engine.finalizedHash(height);
    }

    /** The height of the newest notarized block this replica knows. Any thread. */
    public long notarizedHeight() {
        return engine.notarizedHeight();
    }

    /**
     * The finalized height each member last reported in its status (broadcast every retransmission
     * period), indexed by replica; 0 for a member not heard from yet and for this replica itself.
     * What a peer claims is unchecked: readers must not trust any single entry. Any thread.
     */
    public long[] peerFinalizedHeights() {
        return engine.peerFinalizedHeights();
    }

    /** Counters of this replica's consensus (a consistent snapshot is not guaranteed across fields). Any thread. */
    public ConsensusMetrics metrics() {
        return engine.metrics();
    }

    /** The unfinalized heights as this replica sees them, for debugging (call on the protocol thread). */
    public String describe() {
        return engine.describe();
    }

    /** Stops: no more frames are sent, timers are cancelled, the listener is not called again. */
    public void stop() {
        engine.stop();
    }
}
