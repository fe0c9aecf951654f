package org.outcalls.consensus.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.outcalls.consensus.Consensus;
import org.outcalls.consensus.ConsensusConfig;
import org.outcalls.consensus.FaultMode;
import org.outcalls.consensus.PayloadContext;
import org.outcalls.consensus.PayloadSection;
import org.outcalls.crypto.DecodeException;
import org.outcalls.crypto.Hash;
import org.outcalls.crypto.NodeKey;
import org.outcalls.crypto.PublicKey;
import org.outcalls.transport.Clock;
import org.outcalls.transport.ProtocolThread;
import org.outcalls.transport.TcpTransport;
import org.outcalls.transport.Transports;

/**
 * A Byzantine member asks an honest replica, over the real TCP transport with mutual TLS, for the
 * same block and for catch-up as fast as it can: what the replica sends back stays within the
 * member's serving budget.
 */
class ServingFloodTest {
    private static final byte[] SUBNET = "flood-subnet".getBytes();
    private static final Duration RANK_DELAY = Duration.ofMillis(20);
    private static final Duration HEARTBEAT = Duration.ofMillis(60);
    /** The engine's retransmission period for n = 4 (f = 1): 2 · (heartbeat + 2 · (f + 1) · Δ). */
    private static final long PERIOD = 2 * (HEARTBEAT.toNanos() + 2 * 2 * RANK_DELAY.toNanos());
    private static final int PAYLOAD = 64 * 1024;
    private static final TcpTransport.Settings SETTINGS = new TcpTransport.Settings(16384, 256L << 20, 16L << 20,
            Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofSeconds(5));

    private final Vertx vertx = Vertx.vertx();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Every block carries 64 KiB, so serving one costs something. */
    private static final class BulkSection implements PayloadSection {
        @Override
        public String name() {
            return "bulk";
        }

        @Override
        public boolean hasWork() {
            return true;
        }

        @Override
        public byte[] build(PayloadContext context) {
            byte[] b = new byte[PAYLOAD];
            Arrays.fill(b, (byte) context.height());
            return b;
        }

        @Override
        public void validate(PayloadContext context, byte[] payload) {
        }
    }

    @Test
    void repeatedBlockAndCatchUpRequestsGetRepliesWithinTheServingBudget() throws Exception {
        int n = 4;
        int flooder = 3;
        List<NodeKey> keys = new ArrayList<>();
        List<PublicKey> members = new ArrayList<>();
        List<TcpTransport.Peer> peers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            keys.add(NodeKey.generate());
            members.add(keys.get(i).publicKey());
            peers.add(new TcpTransport.Peer(i, members.get(i), "127.0.0.1", freePort()));
        }
        List<Consensus> honest = new ArrayList<>();
        for (int i = 0; i < n - 1; i++) {
            ProtocolThread thread = thread(i);
            TcpTransport t = transport(keys, peers, i, thread);
            ConsensusConfig config = new ConsensusConfig(SUBNET, members, i, keys.get(i), RANK_DELAY, HEARTBEAT,
                    Duration.ofMillis(500), 16, FaultMode.NONE);
            Consensus c = new Consensus(config, t.channel("consensus"), List.of(new BulkSection()), fb -> { }, Clock.system(),
                    thread);
            honest.add(c);
            closeables.add(c::stop);
            c.start();
        }
        // The flooder holds member 3's real key and listens where the registry pins it, to count what it is sent.
        long target = 60;
        AtomicLong requestReplies = new AtomicLong();
        AtomicLong catchUps = new AtomicLong();
        AtomicLong oldBytes = new AtomicLong();
        AtomicBoolean flooding = new AtomicBoolean();
        TcpTransport flood = transport(keys, peers, flooder, thread(flooder));
        flood.channel("consensus").receiver((from, frame) -> {
            Wire.Msg m;
            try {
                m = Wire.decode(frame);
            } catch (DecodeException e) {
                throw new AssertionError(e);
            }
            // Once the chain is far above the target, only requests and catch-up bring these heights.
            if (flooding.get() && from == 0 && m instanceof Wire.Signed s && s.height() <= target + 1) {
                oldBytes.addAndGet(frame.length);
                if (s instanceof Wire.Proposal p && p.height() == target) {
                    requestReplies.incrementAndGet();
                }
                if (s instanceof Wire.Proposal p && p.height() == 1) {
                    catchUps.incrementAndGet(); // every catch-up for a peer at height 0 starts at height 1
                }
            }
        });
        assertTrue(await(() -> honest.get(0).finalizedHeight() >= target + 20), "finalized: " + honest.get(0).finalizedHeight());

        Hash block = honest.get(0).finalizedHash(target);
        int requests = 400;
        long start = System.nanoTime();
        flooding.set(true);
        for (int i = 0; i < requests; i++) {
            flood.channel("consensus").send(0, Wire.request(target, block));
            flood.channel("consensus").send(0, Wire.status(0, 0));
        }
        assertTrue(await(() -> flood.peerStatus().get(0).framesSent() >= 2L * requests), "the flood was sent");
        Thread.sleep(TimeUnit.NANOSECONDS.toMillis(4 * PERIOD)); // replies in flight arrive
        double periods = (System.nanoTime() - start) / (double) PERIOD;

        long maxRequestReplies = 1 + (long) Math.ceil(periods * 4); // one per replay window of P/4
        assertTrue(requestReplies.get() <= maxRequestReplies, "the same block, asked " + requests + " times in "
                + String.format("%.1f", periods) + " periods, was sent " + requestReplies + " times; at most "
                + maxRequestReplies);
        long maxCatchUps = 1 + (long) Math.ceil(periods * 8); // at most one per P/8
        assertTrue(catchUps.get() <= maxCatchUps, catchUps + " catch-ups, at most " + maxCatchUps);
        long maxBytes = (long) ((1 + periods) * (32L << 20)); // a burst of 32 MiB, refilled at 32 MiB per period
        assertTrue(oldBytes.get() <= maxBytes, oldBytes + " bytes served, at most " + maxBytes);
        assertTrue(requestReplies.get() >= 1 && catchUps.get() >= 1, "an honest-looking first request is answered");
        assertTrue(honest.get(0).metrics().servingRefused() >= requests - maxRequestReplies, "the replica counted what it "
                + "did not answer: " + honest.get(0).metrics());
    }

    private ProtocolThread thread(int i) {
        ProtocolThread t = new ProtocolThread("outcalls-replica-" + i);
        closeables.add(t);
        return t;
    }

    private TcpTransport transport(List<NodeKey> keys, List<TcpTransport.Peer> peers, int i, ProtocolThread thread)
            throws Exception {
        TcpTransport t = Transports.tcp(vertx, keys.get(i), i, peers, "127.0.0.1", peers.get(i).port(), SUBNET, thread,
                SETTINGS);
        closeables.add(t);
        return t;
    }

    private static boolean await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
