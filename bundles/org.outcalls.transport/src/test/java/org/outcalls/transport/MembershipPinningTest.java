package org.outcalls.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * TCP pinning follows the registry (real sockets, real mutual TLS): a key that is not a member yet is
 * refused, admitted once the members change to include it, and refused again once removed; a
 * replaced member's old key is refused and its new key takes its index.
 */
class MembershipPinningTest {
    static final TcpTransport.Settings FAST = new TcpTransport.Settings(1024, 16L << 20, 16L << 20,
            Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofSeconds(1));
    private final Loopback net = new Loopback();

    @AfterEach
    void close() throws Exception {
        net.close();
    }

    @Test
    void aNewMemberIsAdmittedWhenTheRegistryAddsItAndRefusedOnceItIsRemoved() throws Exception {
        Loopback.Subnet s = net.subnet(3);
        List<TcpTransport.Peer> two = s.peers().subList(0, 2);
        TcpTransport a = net.start(s, 0, two, FAST);
        TcpTransport b = net.start(s, 1, two, FAST);
        TcpTransport c = net.start(s, 2, s.peers(), FAST); // the newcomer knows the members it joins
        List<Integer> atA = new CopyOnWriteArrayList<>();
        a.channel("x").receiver((from, f) -> atA.add(from));
        for (int k = 0; k < 20; k++) {
            c.channel("x").send(0, new byte[] {1});
            Thread.sleep(50);
        }
        assertTrue(atA.isEmpty(), "a key the registry does not name is refused: " + atA);

        a.updateMembers(s.peers());
        b.updateMembers(s.peers());
        assertTrue(Loopback.await(() -> {
            c.channel("x").send(0, new byte[] {2});
            return atA.contains(2);
        }), "admitted once the registry adds it");
        assertEquals(3, a.size());

        a.updateMembers(two);
        int before = atA.size();
        Thread.sleep(500); // frames in flight may still land
        int settled = atA.size();
        for (int k = 0; k < 20; k++) {
            c.channel("x").send(0, new byte[] {3});
            Thread.sleep(50);
        }
        assertEquals(settled, atA.size(), "nothing from a removed key (" + before + " before)");
        b.channel("x").send(0, new byte[] {4});
        assertTrue(Loopback.await(() -> atA.contains(1)), "the remaining member still gets through");
    }

    @Test
    void aReplacedKeyIsRefusedAndItsSuccessorTakesItsIndex() throws Exception {
        Loopback.Subnet s = net.subnet(3); // key 2 will replace member 1
        List<TcpTransport.Peer> before = s.peers().subList(0, 2);
        TcpTransport.Peer successor = new TcpTransport.Peer(1, s.keys().get(2).publicKey(), "127.0.0.1", s.port(2));
        List<TcpTransport.Peer> after = List.of(s.peers().get(0), successor);
        TcpTransport a = net.start(s, 0, before, FAST);
        TcpTransport old = net.start(s, 1, before, FAST);
        List<Integer> atA = new CopyOnWriteArrayList<>();
        a.channel("x").receiver((from, f) -> atA.add((int) f[0]));
        assertTrue(Loopback.await(() -> {
            old.channel("x").send(0, new byte[] {1});
            return atA.contains(1);
        }));
        a.updateMembers(after);
        Thread.sleep(500);
        atA.clear();
        for (int k = 0; k < 20; k++) {
            old.channel("x").send(0, new byte[] {1});
            Thread.sleep(50);
        }
        assertTrue(atA.isEmpty(), "the old key is refused: " + atA);
        List<TcpTransport.Peer> successorView = new ArrayList<>(after);
        TcpTransport fresh = Transports.tcp(net.vertx, s.keys().get(2), 1, successorView, "127.0.0.1", s.port(2),
                Loopback.NET, net.thread(2), FAST);
        try {
            assertTrue(Loopback.await(() -> {
                fresh.channel("x").send(0, new byte[] {2});
                return atA.contains(2);
            }), "the successor's frames arrive as member 1's");
        } finally {
            fresh.close();
        }
    }
}
