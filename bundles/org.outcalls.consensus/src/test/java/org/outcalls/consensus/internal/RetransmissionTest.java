package org.outcalls.consensus.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.outcalls.consensus.internal.RoleFixture.Sent;
import org.outcalls.consensus.internal.Wire.Proposal;
import org.outcalls.consensus.internal.Wire.Request;
import org.outcalls.consensus.internal.Wire.Share;
import org.outcalls.consensus.internal.Wire.Status;
import org.outcalls.crypto.Hash;

/**
 * After a period P without finalization a replica repeats its status, what it signed and the blocks
 * it notarization-shared; a block it lacks although an honest replica has it is asked from the
 * holders, once per P / 2.
 */
class RetransmissionTest {
    final RoleFixture fx = new RoleFixture(0);
    final long period = fx.params.period();

    @Test
    void repeatsStatusOwnArtifactsAndEchoesSharedBlocksAfterAPeriod() {
        Proposal other = fx.proposal(fx.block(1, fx.tip(), 1, 10, null));
        fx.accept(other);
        fx.notary.share(1, other.hash());
        Share mine = RoleFixture.shares(fx.takeSent(), Wire.NOTARIZATION_SHARE).get(0);
        fx.retransmission.finalizationMoved(fx.now);

        fx.retransmission.maybeRetransmit(fx.now + period - 1);
        assertTrue(fx.takeSent().isEmpty());
        fx.retransmission.maybeRetransmit(fx.now + period);
        List<Sent> sent = fx.takeSent();
        assertEquals(3, sent.size());
        assertEquals(new Sent(-1, new Status(0, 0)), sent.get(0));
        assertEquals(mine.id(), ((Share) sent.get(1).msg()).id());
        assertEquals(other.hash(), ((Proposal) sent.get(2).msg()).hash(), "the echo");
        assertEquals(fx.now + 2 * period, fx.retransmission.next());
        assertEquals(1, fx.state.counters.get(Counters.RETRANSMISSIONS));
    }

    @Test
    void asksTheHoldersForAMissingBlockOncePerHalfPeriod() {
        Hash missing = Hash.sha256(new byte[] {9});
        fx.accept(fx.share(Wire.NOTARIZATION_SHARE, 1, missing, 2));
        fx.retransmission.requestMissingBlocks(fx.now);
        assertTrue(fx.takeSent().isEmpty(), "f shares: maybe none of them honest");
        fx.accept(fx.share(Wire.NOTARIZATION_SHARE, 1, missing, 3));
        fx.retransmission.requestMissingBlocks(fx.now);
        List<Sent> sent = fx.takeSent();
        assertEquals(List.of(new Sent(2, new Request(1, missing)), new Sent(3, new Request(1, missing))), sent);
        fx.retransmission.requestMissingBlocks(fx.now + period / 2 - 1);
        assertTrue(fx.takeSent().isEmpty());
        fx.retransmission.requestMissingBlocks(fx.now + period / 2);
        assertEquals(2, fx.takeSent().size());
        assertEquals(2, fx.state.counters.get(Counters.REQUESTS));
    }
}
