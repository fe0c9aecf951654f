package org.outcalls.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.outcalls.transport.Loopback.await;

import io.vertx.core.net.NetSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.outcalls.transport.internal.tcp.Frames;

/**
 * A Byzantine member on the wire: a raw TLS client holding member 1's real node key, which the
 * receiving replica must admit (it is a member) and must still not let exhaust its memory.
 */
class FloodingMemberTest {
    /** Room for two of the largest frames per member, so a third one from the same member waits. */
    private static final long BUDGET = 2L * Transport.MAX_FRAME_BYTES + 4096;
    private static final TcpTransport.Settings SETTINGS = new TcpTransport.Settings(64, 16L << 20, BUDGET,
            Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofSeconds(5));
    private static final byte[] C = Frames.channelName("c");
    private static final byte[] FLOOD = Frames.channelName("flood");

    private final Loopback net = new Loopback();

    @AfterEach
    void tearDown() throws Exception {
        net.close();
    }

    @Test
    void aMembersNewestConnectionReplacesItsOlderOnesAndTheOthersAreStillHeard() throws Exception {
        Loopback.Subnet s = net.subnet(3);
        TcpTransport a = net.start(s, 0, s.peers(), SETTINGS);
        TcpTransport honest = net.start(s, 2, s.peers(), SETTINGS);
        List<Integer> fromFlooder = new CopyOnWriteArrayList<>();
        List<Integer> fromHonest = new CopyOnWriteArrayList<>();
        a.channel("c").receiver((from, f) -> (from == 1 ? fromFlooder : fromHonest).add((int) f[0]));

        int opened = 20;
        List<CompletableFuture<Void>> closed = new ArrayList<>();
        List<NetSocket> sockets = new CopyOnWriteArrayList<>();
        // Every connection stays busy, so none is closed for being idle: only for being replaced.
        net.vertx.setPeriodic(500, id -> sockets.forEach(sock -> sock.write(Frames.ping())));
        for (int i = 0; i < opened; i++) {
            CompletableFuture<Void> c = new CompletableFuture<>();
            NetSocket sock = net.connected(s.port(0), s.keys().get(1), c);
            sock.write(Frames.hello(1, Loopback.NET));
            sock.write(Frames.data(C, new byte[] {(byte) i}));
            closed.add(c);
            sockets.add(sock);
            int heard = i + 1;
            // the replica has this connection before the next one opens, so "newest" is well defined
            assertTrue(await(() -> fromFlooder.size() >= heard), "frame on connection " + i + " delivered");
        }
        for (int i = 0; i < opened - 1; i++) {
            closed.get(i).get(20, TimeUnit.SECONDS); // the replica closed every older connection
        }
        assertFalse(closed.get(opened - 1).isDone(), "the newest connection stays open");
        sockets.get(opened - 1).write(Frames.data(C, new byte[] {99}));
        assertTrue(await(() -> fromFlooder.contains(99)), "the newest connection still delivers");
        assertTrue(await(() -> a.peerStatus().get(1).inboundConnections() == 1), a.peerStatus().get(1).toString());
        assertEquals(opened - 1, a.peerStatus().get(1).connectionsReplaced(), a.peerStatus().get(1).toString());

        honest.channel("c").send(0, new byte[] {42});
        assertTrue(await(() -> fromHonest.contains(42)), "the honest member's frame is delivered");
    }

    @Test
    void connectionsThatNeverSayHelloReplaceEachOtherButNotTheMembersConnection() throws Exception {
        Loopback.Subnet s = net.subnet(2);
        TcpTransport a = net.start(s, 0, s.peers(), SETTINGS);
        List<Integer> heard = new CopyOnWriteArrayList<>();
        a.channel("c").receiver((from, f) -> heard.add((int) f[0]));
        NetSocket greeted = net.connected(s.port(0), s.keys().get(1), new CompletableFuture<>());
        greeted.write(Frames.hello(1, Loopback.NET));
        greeted.write(Frames.data(C, new byte[] {1}));
        assertTrue(await(() -> heard.contains(1)));
        List<CompletableFuture<Void>> closed = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            CompletableFuture<Void> c = new CompletableFuture<>();
            net.connected(s.port(0), s.keys().get(1), c); // handshake, then silence
            closed.add(c);
            int open = 2;
            assertTrue(await(() -> a.peerStatus().get(1).inboundConnections() == open), a.peerStatus().get(1).toString());
        }
        for (int i = 0; i < 9; i++) {
            closed.get(i).get(20, TimeUnit.SECONDS);
        }
        greeted.write(Frames.data(C, new byte[] {2}));
        assertTrue(await(() -> heard.contains(2)), "the member's greeted connection is untouched");
        // the first record of a connection must be a hello, and a hello is small
        CompletableFuture<Void> big = new CompletableFuture<>();
        NetSocket sock = net.connected(s.port(0), s.keys().get(1), big);
        sock.write(Frames.data(C, new byte[4096]));
        big.get(20, TimeUnit.SECONDS);
    }

    @Test
    void aFloodingMembersBufferedBytesStayWithinItsBudgetAcrossConnectionsAndOthersAreStillHeard() throws Exception {
        Loopback.Subnet s = net.subnet(3);
        ProtocolThread thread = net.thread(0);
        TcpTransport a = net.start(s, 0, s.peers(), SETTINGS, thread);
        TcpTransport honest = net.start(s, 2, s.peers(), SETTINGS);
        AtomicInteger flooded = new AtomicInteger();
        List<Integer> fromHonest = new CopyOnWriteArrayList<>();
        a.channel("flood").receiver((from, f) -> {
            flooded.incrementAndGet();
            sleep(5); // a slow receiver: the flood outruns it
        });
        a.channel("c").receiver((from, f) -> fromHonest.add((int) f[0]));
        assertTrue(await(() -> honest.peerStatus().get(0).outbound()));

        CountDownLatch release = new CountDownLatch(1);
        thread.execute(() -> {
            try {
                release.await(60, TimeUnit.SECONDS); // the protocol thread is blocked: nothing drains
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        int perConnection = 6;
        AtomicInteger firstWritten = new AtomicInteger();
        NetSocket first = net.connected(s.port(0), s.keys().get(1), new CompletableFuture<>());
        first.write(Frames.hello(1, Loopback.NET));
        flood(first, perConnection, firstWritten);
        assertTrue(await(() -> a.peerStatus().get(1).backlog().refused() >= 1), "the flooder is paused: " + a.peerStatus().get(1));

        // A second connection of the same member must not bring a second budget with it.
        AtomicInteger secondWritten = new AtomicInteger();
        NetSocket second = net.connected(s.port(0), s.keys().get(1), new CompletableFuture<>());
        second.write(Frames.hello(1, Loopback.NET));
        flood(second, perConnection, secondWritten);
        assertTrue(await(() -> a.peerStatus().get(1).backlog().refused() >= 2), "paused again: " + a.peerStatus().get(1));
        TcpTransport.PeerStatus blocked = a.peerStatus().get(1);
        assertTrue(blocked.backlog().bytes() <= BUDGET, "buffered for the flooder: " + blocked);

        for (int i = 0; i < 5; i++) {
            honest.channel("c").send(0, new byte[] {(byte) i});
        }
        release.countDown();
        assertTrue(await(() -> fromHonest.size() == 5), "the honest member's frames are processed: " + fromHonest);
        assertTrue(await(() -> secondWritten.get() == perConnection), "the newest connection was resumed and sent all");
        assertTrue(await(() -> a.peerStatus().get(1).backlog().bytes() == 0), a.peerStatus().get(1).toString());
        TcpTransport.PeerStatus end = a.peerStatus().get(1);
        assertTrue(end.backlog().peakBytes() <= BUDGET, "at most " + BUDGET + " bytes ever waited for the flooder: " + end);
        assertTrue(flooded.get() >= perConnection, "the flood was delivered, slowly: " + flooded.get());
        assertEquals(0, a.peerStatus().get(2).backlog().refused(), "the honest member was never paused");
    }

    /** Writes {@code frames} of the largest size as fast as the socket takes them. */
    private static void flood(NetSocket sock, int frames, AtomicInteger written) {
        Runnable[] pump = new Runnable[1];
        pump[0] = () -> {
            while (written.get() < frames && !sock.writeQueueFull()) {
                sock.write(Frames.data(FLOOD, new byte[Transport.MAX_FRAME_BYTES]));
                written.incrementAndGet();
            }
            if (written.get() < frames) {
                sock.drainHandler(v -> pump[0].run());
            }
        };
        pump[0].run();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
