package org.outcalls.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a link keeps queued for a peer that is coming up. The peer sits behind a gate on its pinned
 * port that refuses, holds or forwards each connection as the test says, so that a connection
 * attempt can fail at a chosen moment: after frames were offered while it was under way.
 */
class OutboundQueueTest {
    private static final TcpTransport.Settings SETTINGS = new TcpTransport.Settings(64, 16L << 20, 16L << 20,
            Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofSeconds(5));

    private final Loopback net = new Loopback();
    private Gate gate;

    @AfterEach
    void tearDown() throws Exception {
        if (gate != null) {
            gate.close();
        }
        net.close();
    }

    @Test
    void framesOfferedWhileAFailingAttemptWasUnderWayReachThePeerOnTheNextOne() throws Exception {
        Loopback.Subnet s = net.subnet(2);
        gate = new Gate(s.port(1));
        int realPort = Loopback.freePort();
        List<TcpTransport.Peer> viewOfOne = new ArrayList<>(s.peers());
        viewOfOne.set(1, new TcpTransport.Peer(1, s.keys().get(1).publicKey(), "127.0.0.1", realPort));
        TcpTransport b = net.start(s, 1, viewOfOne, SETTINGS); // listens behind the gate
        List<Integer> got = new CopyOnWriteArrayList<>();
        b.channel("c").receiver((from, f) -> got.add((int) f[0]));

        gate.next(Gate.Mode.CLOSE, Gate.Mode.CLOSE, Gate.Mode.HOLD); // two failures, then an attempt under way
        TcpTransport a = net.start(s, 0, s.peers(), SETTINGS);
        Socket held = gate.held.poll(30, TimeUnit.SECONDS);
        assertTrue(held != null, "the third attempt reached the gate");
        gate.forwardTo(realPort); // every later attempt reaches replica 1 (also if the held one times out first)
        for (int k = 0; k < 5; k++) {
            a.channel("c").send(1, new byte[] {(byte) k});
        }
        assertTrue(Loopback.await(() -> a.peerStatus().get(1).queued() == 5), "five frames wait: " + a.peerStatus().get(1));

        held.close(); // the attempt under way fails: its third failure in a row
        assertTrue(Loopback.await(() -> got.size() == 5), "frames that reached replica 1: " + got + ", link: "
                + a.peerStatus().get(1));
        assertEquals(List.of(0, 1, 2, 3, 4), got);
        assertEquals(0, a.peerStatus().get(1).framesDropped());
    }

    @Test
    void framesThatWaitedThroughAFailedAttemptAreDroppedAndCounted() throws Exception {
        Loopback.Subnet s = net.subnet(2);
        gate = new Gate(s.port(1)); // refuses every connection: replica 1 is down
        TcpTransport a = net.start(s, 0, s.peers(), SETTINGS);
        assertTrue(Loopback.await(() -> gate.refused() >= 3), "attempts refused: " + gate.refused());
        for (int k = 0; k < 5; k++) {
            a.channel("c").send(1, new byte[] {(byte) k});
        }
        assertTrue(Loopback.await(() -> a.peerStatus().get(1).framesDropped() == 5), "link: " + a.peerStatus().get(1));
        assertEquals(0, a.peerStatus().get(1).queued());
    }

    /**
     * A plain TCP listener: closes each accepted connection at once, holds it open (handing it to
     * the test), or forwards its bytes both ways to another port. Closes by default.
     */
    private static final class Gate implements AutoCloseable {
        enum Mode { CLOSE, HOLD }

        private final ServerSocket server;
        private final LinkedBlockingQueue<Mode> modes = new LinkedBlockingQueue<>();
        final LinkedBlockingQueue<Socket> held = new LinkedBlockingQueue<>();
        private final List<Socket> open = new CopyOnWriteArrayList<>();
        private volatile int forwardPort;
        private volatile int refused;

        Gate(int port) throws IOException {
            server = new ServerSocket(port, 50, java.net.InetAddress.getLoopbackAddress());
            Thread t = new Thread(this::accept, "gate-" + port);
            t.setDaemon(true);
            t.start();
        }

        void next(Mode... next) {
            modes.addAll(List.of(next));
        }

        void forwardTo(int port) {
            forwardPort = port;
        }

        int refused() {
            return refused;
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket in = server.accept();
                    open.add(in);
                    Mode m = modes.poll();
                    if (m == Mode.HOLD) {
                        held.add(in);
                    } else if (m == null && forwardPort > 0) {
                        forward(in, forwardPort);
                    } else {
                        refused++;
                        in.close();
                    }
                } catch (IOException e) {
                    return; // closed
                }
            }
        }

        private void forward(Socket in, int port) throws IOException {
            Socket out = new Socket(java.net.InetAddress.getLoopbackAddress(), port);
            open.add(out);
            pump(in, out);
            pump(out, in);
        }

        private void pump(Socket from, Socket to) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[8192];
                try (InputStream i = from.getInputStream(); OutputStream o = to.getOutputStream()) {
                    for (int r; (r = i.read(buf)) >= 0; ) {
                        o.write(buf, 0, r);
                    }
                } catch (IOException e) {
                    // either side closed: the other follows
                } finally {
                    closeQuietly(from);
                    closeQuietly(to);
                }
            }, "gate-pump");
            t.setDaemon(true);
            t.start();
        }

        private static void closeQuietly(Socket s) {
            try {
                s.close();
            } catch (IOException e) {
                // already closed
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            open.forEach(Gate::closeQuietly);
        }
    }
}
