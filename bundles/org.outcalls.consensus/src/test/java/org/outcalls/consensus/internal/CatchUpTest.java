package org.outcalls.consensus.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.outcalls.consensus.internal.RoleFixture.Sent;
import org.outcalls.consensus.internal.Wire.Aggregate;
import org.outcalls.consensus.internal.Wire.Proposal;
import org.outcalls.consensus.internal.Wire.Request;
import org.outcalls.consensus.internal.Wire.Status;
import org.outcalls.crypto.Hash;

/**
 * A peer behind gets the finalized blocks with their certificates (at most every P / 8), a peer
 * ahead is told where this replica is (at most every P / 4), and a block request is answered once
 * per P / 4.
 */
class CatchUpTest {
    final RoleFixture fx = new RoleFixture(0);
    final List<Proposal> chain = new ArrayList<>();
    long period;

    @BeforeEach
    void threeFinalizedHeightsAndOneNotarized() {
        period = fx.params.period();
        Hash parent = fx.tip();
        for (int h = 1; h <= 4; h++) {
            Proposal p = fx.proposal(fx.block(h, parent, 0, 10 * h, null));
            fx.accept(p);
            fx.quorum(Wire.NOTARIZATION_SHARE, p);
            chain.add(p);
            parent = p.hash();
        }
        fx.quorum(Wire.FINALIZATION_SHARE, chain.get(2));
        fx.advanceNotarized();
        fx.finalizer.finalizeNext();
        assertEquals(3, fx.state.finalizedHeight());
        assertEquals(4, fx.notarizedHeight());
        fx.takeSent();
    }

    @Test
    void aPeerBehindGetsBlocksAndCertificatesAtMostEveryEighthPeriod() {
        fx.catchUp.onStatus(1, new Status(0, 0), fx.now);
        List<Sent> sent = fx.takeSent();
        List<Class<?>> kinds = new ArrayList<>();
        for (Sent s : sent) {
            assertEquals(1, s.peer(), "only to the peer behind");
            kinds.add(s.msg().getClass());
        }
        // Heights 1 and 2 (proposal, notarization), 3 (and its finalization), then the notarized 4.
        assertEquals(List.of(Proposal.class, Aggregate.class, Proposal.class, Aggregate.class, Proposal.class,
                Aggregate.class, Aggregate.class, Proposal.class, Aggregate.class), kinds);
        assertEquals(chain.get(0).hash(), ((Proposal) sent.get(0).msg()).hash());
        assertEquals(chain.get(3).hash(), ((Proposal) sent.get(7).msg()).hash());
        assertEquals(1, fx.state.counters.get(Counters.CATCH_UPS));

        fx.now += period / 8 - 1;
        fx.catchUp.onStatus(1, new Status(0, 0), fx.now);
        assertTrue(fx.takeSent().isEmpty(), "again too soon");
        fx.now += 1;
        fx.catchUp.onStatus(1, new Status(2, 3), fx.now);
        List<Sent> again = fx.takeSent();
        assertEquals(chain.get(2).hash(), ((Proposal) again.get(0).msg()).hash(), "from the peer's finalized height on");
    }

    @Test
    void aPeerAheadIsToldWhereThisReplicaIsAtMostEveryQuarterPeriod() {
        fx.catchUp.onStatus(2, new Status(10, 12), fx.now);
        List<Sent> sent = fx.takeSent();
        assertEquals(1, sent.size());
        assertEquals(2, sent.get(0).peer());
        assertEquals(new Status(3, 4), sent.get(0).msg());
        fx.now += period / 4 - 1;
        fx.catchUp.askForHelp(2, fx.now);
        assertTrue(fx.takeSent().isEmpty());
        fx.now += 1;
        fx.catchUp.askForHelp(2, fx.now);
        assertEquals(1, fx.takeSent().size());
    }

    @Test
    void aBlockRequestIsAnsweredOncePerQuarterPeriod() {
        Request forFinalized = new Request(2, chain.get(1).hash());
        fx.catchUp.onRequest(3, forFinalized, fx.now);
        List<Sent> sent = fx.takeSent();
        assertEquals(List.of(new Sent(3, sent.get(0).msg())), sent);
        assertEquals(chain.get(1).hash(), ((Proposal) sent.get(0).msg()).hash());
        fx.catchUp.onRequest(3, forFinalized, fx.now + period / 8);
        assertTrue(fx.takeSent().isEmpty(), "the same request again within P / 4");
        fx.catchUp.onRequest(3, forFinalized, fx.now + period / 4);
        assertEquals(1, fx.takeSent().size());

        fx.catchUp.onRequest(3, new Request(4, chain.get(3).hash()), fx.now);
        assertEquals(1, fx.takeSent().size(), "a notarized block above the finalized one");
        fx.catchUp.onRequest(3, new Request(2, chain.get(3).hash()), fx.now);
        assertTrue(fx.takeSent().isEmpty(), "a block this replica does not have");
    }

    @Test
    void withoutAStoreAPeerBehindTheKeptChainGetsNothing() {
        fx.state.chain.restore(List.of(new ChainStore.Entry(chain.get(2).block(), chain.get(2).hash(), chain.get(2),
                null, null))); // as if heights 1 and 2 were forgotten
        fx.catchUp.onStatus(1, new Status(0, 0), fx.now);
        assertTrue(fx.takeSent().isEmpty());
        assertEquals(0, fx.catchUp.refused(), "not a refusal: there is nothing to send");
    }

    @Test
    void theFinalizedHeightPeersVouchForNeedsFPlusOneOfThem() {
        assertEquals(0, fx.catchUp.vouchedFinalizedHeight(), "nobody spoke yet");
        fx.catchUp.onStatus(1, new Status(1_000_000, 1_000_000), fx.now);
        assertEquals(0, fx.catchUp.vouchedFinalizedHeight(), "one peer of n = 4 (f = 1; it may lie) is not enough");
        fx.catchUp.onStatus(2, new Status(50, 51), fx.now);
        assertEquals(50, fx.catchUp.vouchedFinalizedHeight(), "two peers, one of them honest, finalized 50");
        fx.catchUp.onStatus(2, new Status(40, 41), fx.now);
        assertEquals(50, fx.catchUp.vouchedFinalizedHeight(), "a status never lowers what a peer said before");
    }
}
