package org.outcalls.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.net.NetSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.outcalls.transport.internal.tcp.Frames;
import org.slf4j.LoggerFactory;

/**
 * Replicas of different releases on loopback (real sockets, real mutual TLS): they speak the highest
 * protocol version both speak; without one the connection is refused and both sides say why. A raw
 * client plays a release before negotiation (its hello says 1, it never sends USE).
 */
class ProtocolNegotiationTest {
    private static final TcpTransport.Settings FAST = new TcpTransport.Settings(64, 16L << 20, 16L << 20,
            Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofSeconds(5));

    private final Loopback net = new Loopback();
    private ListAppender<ILoggingEvent> logs;

    @BeforeEach
    void setUp() {
        logs = new ListAppender<>();
        logs.start();
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("org.outcalls.transport")).addAppender(logs);
    }

    @AfterEach
    void tearDown() throws Exception {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("org.outcalls.transport")).detachAppender(logs);
        net.close();
    }

    @Test
    void theHighestCommonVersionIsChosen() {
        assertEquals(OptionalInt.of(2), new ProtocolVersions(1, 2).common(new ProtocolVersions(1, 3)));
        assertEquals(OptionalInt.of(2), new ProtocolVersions(2, 5).common(new ProtocolVersions(1, 2)));
        assertEquals(OptionalInt.empty(), new ProtocolVersions(1, 2).common(new ProtocolVersions(3, 4)));
        assertEquals(OptionalInt.of(1), new ProtocolVersions(1, 2).common(new ProtocolVersions(1, 1)));
    }

    @Test
    void aReplicaOfTheNextReleaseSpeaksTheOlderVersionToAnOlderPeerAndItsOwnToItsLike() throws Exception {
        Loopback.Subnet s = net.subnet(3);
        TcpTransport older = start(s, 0, new ProtocolVersions(1, 2));
        TcpTransport newer = start(s, 1, new ProtocolVersions(1, 3));
        TcpTransport newer2 = start(s, 2, new ProtocolVersions(1, 3));
        List<Integer> at0 = received(older);
        List<Integer> at1 = received(newer);
        assertTrue(Loopback.await(() -> older.protocolVersion(1) == 2 && newer.protocolVersion(0) == 2
                && newer.protocolVersion(2) == 3 && newer2.protocolVersion(1) == 3), "versions agreed: "
                + older.protocolVersion(1) + " " + newer.protocolVersion(0) + " " + newer.protocolVersion(2));
        older.channel("c").send(1, new byte[] {7});
        newer.channel("c").send(0, new byte[] {8});
        newer2.channel("c").send(1, new byte[] {9});
        assertTrue(Loopback.await(() -> at0.contains(1) && at1.contains(0) && at1.contains(2)), at0 + " " + at1);
        assertTrue(logged(Level.INFO, "replica 1: speaking protocol version 2 to replica 0 (it speaks 1..2, this replica 1..3)"));
        assertTrue(logged(Level.INFO, "replica 1: speaking protocol version 3 to replica 2 (it speaks 1..3, this replica 1..3)"));
    }

    @Test
    void replicasWithNoCommonVersionRefuseEachOtherAndSaySo() throws Exception {
        Loopback.Subnet s = net.subnet(2);
        TcpTransport old = start(s, 0, new ProtocolVersions(1, 2));
        TcpTransport future = start(s, 1, new ProtocolVersions(3, 4));
        List<Integer> at0 = received(old);
        List<Integer> at1 = received(future);
        assertTrue(Loopback.await(() -> logged(Level.WARN, "replica 0: refused replica 1 at 127.0.0.1:" + s.port(1)
                + ": it speaks protocol versions 3..4, this replica speaks 1..2: no common version; upgrade this replica")),
                () -> String.join("\n", messages()));
        assertTrue(Loopback.await(() -> logged(Level.WARN, "it speaks protocol versions from 3 up, this replica speaks "
                + "1..2: no common version; upgrade this replica")), () -> String.join("\n", messages()));
        old.channel("c").send(1, new byte[] {1});
        future.channel("c").send(0, new byte[] {2});
        // the link keeps retrying, slowly; while it does, its status keeps saying why it cannot speak
        Set<String> errors = new TreeSet<>();
        for (long until = System.nanoTime() + 1_500_000_000L; System.nanoTime() < until; ) {
            errors.add(old.peerStatus().get(1).lastError());
            Thread.sleep(1);
        }
        assertFalse(errors.contains(""), "the last error went blank while the link retried: " + errors);
        assertFalse(logged(Level.INFO, "replica 0: speaking protocol version"), () -> String.join("\n", messages()));
        assertTrue(at0.isEmpty() && at1.isEmpty(), "nothing crosses: " + at0 + " " + at1);
        assertEquals(0, old.protocolVersion(1));
        assertEquals(0, future.protocolVersion(0));
        assertTrue(old.peerStatus().get(1).lastError().contains("no common protocol version"),
                old.peerStatus().get(1).lastError());
    }

    @Test
    void aReleaseBeforeNegotiationIsServedAtVersionOneAndRefusedByAReplicaThatDroppedIt() throws Exception {
        Loopback.Subnet s = net.subnet(3);
        TcpTransport speaksOne = start(s, 0, new ProtocolVersions(1, 2));
        TcpTransport droppedOne = start(s, 2, new ProtocolVersions(2, 3));
        List<Integer> at0 = received(speaksOne);
        List<Integer> at2 = received(droppedOne);
        // replica 1 as a release before negotiation: a hello saying 1, then frames, no USE
        NetSocket toZero = net.connected(s.port(0), s.keys().get(1), new CompletableFuture<>());
        toZero.write(Frames.hello(1, Loopback.NET));
        toZero.write(Frames.data(Frames.channelName("c"), new byte[] {1}));
        CompletableFuture<Void> closed = new CompletableFuture<>();
        NetSocket toTwo = net.connected(s.port(2), s.keys().get(1), closed);
        toTwo.write(Frames.hello(1, Loopback.NET));
        toTwo.write(Frames.data(Frames.channelName("c"), new byte[] {1}));
        assertTrue(Loopback.await(() -> at0.contains(1)), "served at version 1");
        closed.get(20, TimeUnit.SECONDS);
        assertTrue(at2.isEmpty());
        assertTrue(logged(Level.WARN, "it speaks protocol version 1 only (a release before versions were negotiated), "
                + "this replica speaks 2..3: no common version; upgrade replica 1"), () -> String.join("\n", messages()));
    }

    private TcpTransport start(Loopback.Subnet s, int i, ProtocolVersions versions) throws Exception {
        return net.start(s, i, FAST, versions);
    }

    /** The senders of frames on channel {@code c}, as they arrive. */
    private static List<Integer> received(TcpTransport t) {
        List<Integer> from = new CopyOnWriteArrayList<>();
        t.channel("c").receiver((peer, f) -> from.add(peer));
        return from;
    }

    private boolean logged(Level level, String fragment) {
        synchronized (logs) {
            return logs.list.stream().anyMatch(e -> e.getLevel().equals(level) && e.getFormattedMessage().contains(fragment));
        }
    }

    private List<String> messages() {
        synchronized (logs) {
            return new ArrayList<>(logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList());
        }
    }
}
