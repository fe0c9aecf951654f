package org.outcalls.consensus.internal.byzantine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.outcalls.consensus.FaultMode;
import org.outcalls.consensus.internal.Behaviour;
import org.outcalls.consensus.internal.RoleFixture;
import org.outcalls.consensus.internal.Wire;
import org.outcalls.consensus.internal.Wire.Proposal;
import org.outcalls.transport.Channel;
import org.outcalls.transport.FrameReceiver;

/** SILENT: runs the protocol and follows the chain, but sends no frame. */
class SilentTest {
    final RoleFixture fx = new RoleFixture(0);
    final Behaviour silent = FaultBehaviours.of(fx.config().withFaultMode(FaultMode.SILENT), fx.ranking);

    @Test
    void itsChannelSendsNothingAndStillReceives() {
        List<String> real = new ArrayList<>();
        Channel channel = new Channel() {
            @Override
            public void send(int peer, byte[] frame) {
                real.add("send");
            }

            @Override
            public void broadcast(byte[] frame) {
                real.add("broadcast");
            }

            @Override
            public void receiver(FrameReceiver receiver) {
                real.add("receiver");
            }
        };
        Channel out = silent.outgoing(channel);
        out.send(1, new byte[] {1});
        out.broadcast(new byte[] {1});
        out.receiver(null);
        assertTrue(real.isEmpty(), "the engine installs its receiver on the real channel");
    }

    @Test
    void otherwiseDecidesLikeAnHonestReplica() {
        Proposal zero = fx.proposal(fx.block(1, fx.tip(), 0, 5, null));
        fx.publisher().record(zero); // as if validated
        assertTrue(silent.notarizationShares(fx.notary(), 1));
        assertFalse(silent.notarizationShares(fx.notary(), 1));
        fx.quorum(Wire.NOTARIZATION_SHARE, zero);
        fx.advanceNotarized();
        assertTrue(silent.finalizationShares(fx.finalizer(), 1));
        assertEquals(1, RoleFixture.shares(fx.takeSent(), Wire.FINALIZATION_SHARE).size(),
                "(the fixture's channel is not the silent one)");
    }
}
