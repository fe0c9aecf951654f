package org.outcalls.transport;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PfxOptions;
import io.vertx.core.net.TrustOptions;
import java.net.ServerSocket;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.net.ssl.X509TrustManager;
import org.outcalls.crypto.NodeCertificates;
import org.outcalls.crypto.NodeKey;

/**
 * Replicas of a test subnet on loopback, over real sockets and real mutual TLS, and raw TLS
 * clients that hold a member's real node key (to play a member that misbehaves on the wire).
 * Closes everything it started, newest first.
 */
final class Loopback implements AutoCloseable {
    static final byte[] NET = "test-subnet".getBytes();

    final Vertx vertx = Vertx.vertx();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final List<NetClient> clients = new ArrayList<>();
    private final Map<NodeKey, NetClient> clientsByKey = new IdentityHashMap<>();

    /** n keys and n free ports, as a registry would pin them. */
    record Subnet(List<NodeKey> keys, List<TcpTransport.Peer> peers) {
        int port(int i) {
            return peers.get(i).port();
        }
    }

    Subnet subnet(int n) throws Exception {
        List<NodeKey> keys = new ArrayList<>();
        List<TcpTransport.Peer> peers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            NodeKey k = NodeKey.generate();
            keys.add(k);
            peers.add(new TcpTransport.Peer(i, k.publicKey(), "127.0.0.1", freePort()));
        }
        return new Subnet(keys, peers);
    }

    /** Replica i of the subnet, with its own protocol thread. */
    TcpTransport start(Subnet s, int i, List<TcpTransport.Peer> view, TcpTransport.Settings settings) throws Exception {
        return start(s, i, view, settings, thread(i));
    }

    TcpTransport start(Subnet s, int i, List<TcpTransport.Peer> view, TcpTransport.Settings settings, ProtocolThread thread)
            throws Exception {
        TcpTransport t = Transports.tcp(vertx, s.keys().get(i), i, view, "127.0.0.1", view.get(i).port(), NET, thread,
                settings);
        closeables.add(t);
        return t;
    }

    /** Replica i speaking {@code versions} (a replica of another release). */
    TcpTransport start(Subnet s, int i, TcpTransport.Settings settings, ProtocolVersions versions) throws Exception {
        TcpTransport t = Transports.tcp(vertx, s.keys().get(i), i, s.peers(), "127.0.0.1", s.port(i), NET, thread(i),
                settings, versions);
        closeables.add(t);
        return t;
    }

    ProtocolThread thread(int i) {
        ProtocolThread thread = new ProtocolThread("outcalls-replica-" + i);
        closeables.add(thread);
        return thread;
    }

    /**
     * A connected socket whose close completes {@code closed}. The handler is set in the connect
     * callback, on the socket's event loop: set later from the test thread, a close the server made
     * at once could come before it and never be seen.
     */
    NetSocket connected(int port, NodeKey key, CompletableFuture<Void> closed) throws Exception {
        return client(key).connect(port, "127.0.0.1").onSuccess(sock -> sock.closeHandler(v -> closed.complete(null)))
                .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    /**
     * A TLS client presenting {@code key}'s node certificate (none if null) and trusting any server.
     * Kept referenced until {@link #close()}: Vert.x closes a client, and its connections, once it
     * is garbage.
     */
    NetClient client(NodeKey key) {
        if (key != null && clientsByKey.containsKey(key)) {
            return clientsByKey.get(key); // one client per key: making its TLS context is the slow part
        }
        NetClientOptions o = new NetClientOptions().setSsl(true).setHostnameVerificationAlgorithm("")
                .setTrustOptions(TrustOptions.wrap(TRUST_ALL));
        if (key != null) {
            o.setKeyCertOptions(new PfxOptions().setValue(Buffer.buffer(NodeCertificates.selfSigned(key, Duration.ofDays(1))
                    .pkcs12("pw".toCharArray()))).setPassword("pw"));
        }
        NetClient client = vertx.createNetClient(o);
        if (key != null) {
            clientsByKey.put(key, client);
        }
        clients.add(client);
        return client;
    }

    /** Waits up to 30 s for the condition; false if it never held. */
    static boolean await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static final X509TrustManager TRUST_ALL = new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    };
}
