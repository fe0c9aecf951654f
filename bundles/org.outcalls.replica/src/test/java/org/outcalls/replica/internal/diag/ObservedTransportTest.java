package org.outcalls.replica.internal.diag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.outcalls.replica.Diagnostics;
import org.outcalls.transport.LiveNetwork;
import org.outcalls.transport.Transports;

class ObservedTransportTest {
    @Test
    void aFrameArrivingAfterTheReceiverWasRemovedIsNeitherHeardNorFailedOn() throws Exception {
        LiveNetwork net = Transports.live(2);
        try {
            ObservedTransport observed = new ObservedTransport(net.transport(1));
            CountDownLatch heard = new CountDownLatch(1);
            observed.channel("consensus").receiver((from, frame) -> heard.countDown());
            net.transport(0).channel("consensus").send(1, new byte[] {1});
            assertTrue(heard.await(10, TimeUnit.SECONDS));
            assertTrue(observed.peers(TimeUnit.SECONDS.toNanos(60)).get(0).connected(), "heard while attached");

            // a closing engine removes its receiver while peers still send
            observed.channel("consensus").receiver(null);
            ObservedTransport fresh = new ObservedTransport(net.transport(1));
            fresh.channel("consensus").receiver(null);
            CountDownLatch after = new CountDownLatch(1);
            net.transport(1).channel("probe").receiver((from, frame) -> after.countDown());
            net.transport(0).channel("consensus").send(1, new byte[] {2});
            net.transport(0).channel("probe").send(1, new byte[] {3}); // delivered after the frame above
            assertTrue(after.await(10, TimeUnit.SECONDS));
            Diagnostics.Peer peer = fresh.peers(TimeUnit.SECONDS.toNanos(60)).get(0);
            assertEquals(-1, peer.lastHeardMillis(), "no receiver was left behind to hear (and fail on) the frame: " + peer);
        } finally {
            net.close();
        }
    }
}
