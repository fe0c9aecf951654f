package org.outcalls.adapter.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.outcalls.adapter.internal.AdapterFixture.fetch;
import static org.outcalls.adapter.internal.AdapterFixture.ok;
import static org.outcalls.adapter.internal.AdapterFixture.rejected;
import static org.outcalls.adapter.internal.AdapterFixture.text;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PemKeyCertOptions;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.outcalls.api.OutcallRequest;
import org.outcalls.api.Reject;
import org.outcalls.api.RejectCode;
import org.outcalls.api.RejectKind;
import org.outcalls.testkit.origin.TestPki;

/** The SOCKS5 fallback when a direct connection fails, and the connect timeout. */
class ConnectFallbackTest {
    private static Vertx vertx;
    private static Vertx originVertx;
    private static HttpServer origin;
    private static NetServer socks;
    private static final List<String> proxied = new CopyOnWriteArrayList<>();
    /** Held in a field: Vert.x 5 closes an unreferenced client (and its connections) when collected. */
    private static io.vertx.core.net.NetClient upstreams;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        originVertx = Vertx.vertx();
        // Reachable only on 127.0.0.1; its certificate also names 127.0.0.2, which refuses direct connections.
        TestPki.Issued cert = AdapterFixture.PKI.issue(List.of("localhost"), List.of("127.0.0.1", "127.0.0.2"),
                Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofDays(1)));
        origin = originVertx.createHttpServer(new HttpServerOptions().setSsl(true).setHost("127.0.0.1").setPort(0)
                        .setKeyCertOptions(new PemKeyCertOptions().setCertValue(Buffer.buffer(cert.certificatePem()))
                                .setKeyValue(Buffer.buffer(cert.keyPem()))))
                .requestHandler(req -> req.response().end("via " + req.remoteAddress().host()))
                .listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        upstreams = originVertx.createNetClient();
        socks = originVertx.createNetServer().connectHandler(ConnectFallbackTest::socks5)
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get();
        originVertx.close().toCompletionStage().toCompletableFuture().get();
    }

    /**
     * A minimal SOCKS5 proxy (no authentication, CONNECT only) that records the destination asked
     * for and connects to the origin: it can reach what the adapter could not.
     */
    private static void socks5(NetSocket client) {
        Buffer[] in = {Buffer.buffer()};
        int[] stage = {0};
        client.handler(data -> {
            in[0].appendBuffer(data);
            Buffer b = in[0];
            if (stage[0] == 0 && b.length() >= 2 && b.length() >= 2 + b.getUnsignedByte(1)) {
                in[0] = b.getBuffer(2 + b.getUnsignedByte(1), b.length());
                stage[0] = 1;
                client.write(Buffer.buffer(new byte[] {5, 0}));
                b = in[0];
            }
            if (stage[0] == 1 && b.length() >= 10 && b.getByte(3) == 1) {
                String host = b.getUnsignedByte(4) + "." + b.getUnsignedByte(5) + "." + b.getUnsignedByte(6) + "."
                        + b.getUnsignedByte(7);
                proxied.add(host + ":" + b.getUnsignedShort(8));
                stage[0] = 2;
                client.pause();
                upstreams.connect(origin.actualPort(), "127.0.0.1").onSuccess(upstream -> {
                    client.write(Buffer.buffer(new byte[] {5, 0, 0, 1, 0, 0, 0, 0, 0, 0}));
                    client.handler(upstream::write);
                    upstream.handler(client::write);
                    client.closeHandler(v -> upstream.close());
                    upstream.closeHandler(v -> client.close());
                    client.resume();
                });
            }
        });
    }

    @Test
    void aFailedDirectConnectionFallsBackToTheSocksProxy() throws Exception {
        String url = "https://127.0.0.2:" + origin.actualPort() + "/";
        try (VertxHttpsAdapter direct = new VertxHttpsAdapter(vertx, AdapterFixture.testSettings().build())) {
            rejected(fetch(direct, OutcallRequest.builder(url).build()), RejectCode.SYS_TRANSIENT, RejectKind.UNREACHABLE);
        }
        try (VertxHttpsAdapter withProxy = new VertxHttpsAdapter(vertx, AdapterFixture.testSettings()
                .socksProxy("127.0.0.1:" + socks.actualPort()).build())) {
            assertEquals("via 127.0.0.1", text(ok(fetch(withProxy, OutcallRequest.builder(url).build()))));
            assertEquals(List.of("127.0.0.2:" + origin.actualPort()), proxied, "the proxy was asked for the checked address");
            // Direct connections that work do not use the proxy.
            ok(fetch(withProxy, OutcallRequest.builder("https://127.0.0.1:" + origin.actualPort() + "/").build()));
            assertEquals(1, proxied.size());
        }
    }

    @Test
    void aDeadProxyIsUnreachable() throws Exception {
        int dead;
        try (ServerSocket s = new ServerSocket(0)) {
            dead = s.getLocalPort();
        }
        try (VertxHttpsAdapter withProxy = new VertxHttpsAdapter(vertx, AdapterFixture.testSettings()
                .socksProxy("127.0.0.1:" + dead).build())) {
            Reject r = rejected(fetch(withProxy, OutcallRequest.builder("https://127.0.0.2:" + origin.actualPort() + "/").build()),
                    RejectCode.SYS_TRANSIENT, RejectKind.UNREACHABLE);
            assertTrue(r.message().contains("127.0.0.2"), r.message());
        }
    }

    @Test
    void aHostThatNeverAcceptsIsAConnectTimeout() throws Exception {
        // A listener whose accept queue is full: the kernel drops further SYNs, so connecting hangs.
        try (ServerSocket full = new ServerSocket()) {
            full.bind(new InetSocketAddress("127.0.0.1", 0), 1);
            List<Socket> fillers = new ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    Socket s = new Socket();
                    try {
                        s.connect(new InetSocketAddress("127.0.0.1", full.getLocalPort()), 200);
                        fillers.add(s);
                    } catch (java.net.SocketTimeoutException e) {
                        s.close();
                        break;
                    }
                }
                try (VertxHttpsAdapter quick = new VertxHttpsAdapter(vertx, AdapterFixture.testSettings()
                        .connectTimeoutMillis(300).build())) {
                    Reject r = rejected(fetch(quick, OutcallRequest.builder("https://127.0.0.1:" + full.getLocalPort() + "/").build()),
                            RejectCode.SYS_TRANSIENT, RejectKind.CONN_TIMEOUT);
                    assertTrue(r.message().contains("300 ms"), r.message());
                }
            } finally {
                for (Socket s : fillers) {
                    s.close();
                }
            }
        }
    }
}
