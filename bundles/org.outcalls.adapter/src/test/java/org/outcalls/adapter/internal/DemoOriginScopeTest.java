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
import io.vertx.core.net.PemKeyCertOptions;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.outcalls.api.OutcallRequest;
import org.outcalls.api.Reject;
import org.outcalls.api.RejectCode;
import org.outcalls.api.RejectKind;
import org.outcalls.testkit.origin.TestPki;

/**
 * The adapter as {@code outcalls run} configures it for its demo origin: the demo's own host and
 * address at its own port are exempt from the private-destination block, and the demo CA is
 * trusted for those hosts only. Real HTTPS servers on loopback, every certificate from the one
 * test CA that plays the demo CA.
 */
class DemoOriginScopeTest {
    private static final TestPki DEMO_CA = AdapterFixture.PKI;
    private static Vertx vertx;
    private static Vertx originVertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        originVertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get();
        originVertx.close().toCompletionStage().toCompletableFuture().get();
    }

    /** What {@code outcalls run} gives the adapter for a demo origin at https://localhost:PORT/ on 127.0.0.1. */
    private static AdapterSettings.Builder asRunConfiguresTheDemo(int demoPort) throws Exception {
        String ca = AdapterFixture.caPem().toString();
        return AdapterSettings.builder()
                .allowTarget("localhost:" + demoPort).allowTarget("127.0.0.1:" + demoPort)
                .scopedTrustCa("localhost", ca).scopedTrustCa("127.0.0.1", ca)
                .requestTimeoutMillis(10_000);
    }

    /** An HTTPS server on 127.0.0.1 with this certificate, counting the connections made to it. */
    private static HttpServer server(TestPki.Issued cert, AtomicInteger connections) throws Exception {
        return originVertx.createHttpServer(new HttpServerOptions().setSsl(true).setHost("127.0.0.1").setPort(0)
                        .setKeyCertOptions(new PemKeyCertOptions().setCertValue(Buffer.buffer(cert.certificatePem()))
                                .setKeyValue(Buffer.buffer(cert.keyPem()))))
                .connectionHandler(c -> connections.incrementAndGet())
                .requestHandler(req -> req.response().end("served " + req.path()))
                .listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void theDemoOriginIsReachableByItsNameAndItsAddress() throws Exception {
        HttpServer demo = server(DEMO_CA.issueLocalhost(), new AtomicInteger());
        int port = demo.actualPort();
        try (VertxHttpsAdapter adapter = new VertxHttpsAdapter(vertx, asRunConfiguresTheDemo(port).build())) {
            assertEquals("served /hello", text(ok(fetch(adapter, OutcallRequest.builder("https://localhost:" + port
                    + "/hello").build()))));
            assertEquals("served /hello", text(ok(fetch(adapter, OutcallRequest.builder("https://127.0.0.1:" + port
                    + "/hello").build()))));
        } finally {
            demo.close();
        }
    }

    @Test
    void anotherLoopbackPortIsRefusedBeforeConnectingAndOpenLooksLikeClosed() throws Exception {
        HttpServer demo = server(DEMO_CA.issueLocalhost(), new AtomicInteger());
        AtomicInteger connectionsToOther = new AtomicInteger();
        HttpServer other = server(DEMO_CA.issueLocalhost(), connectionsToOther);
        int open = other.actualPort();
        int closed = closedPort();
        try (VertxHttpsAdapter adapter = new VertxHttpsAdapter(vertx, asRunConfiguresTheDemo(demo.actualPort()).build())) {
            for (String host : List.of("localhost", "127.0.0.1", "[::1]")) {
                Reject toOpen = rejected(fetch(adapter, OutcallRequest.builder("https://" + host + ":" + open + "/").build()),
                        RejectCode.SYS_TRANSIENT, RejectKind.DESTINATION_BLOCKED);
                Reject toClosed = rejected(fetch(adapter, OutcallRequest.builder("https://" + host + ":" + closed + "/")
                        .build()), RejectCode.SYS_TRANSIENT, RejectKind.DESTINATION_BLOCKED);
                assertEquals(toOpen, toClosed, "an open and a closed port must look the same");
                assertTrue(toOpen.message().contains("127.0.0.0/8 (Loopback") || toOpen.message().contains("::1/128 (Loopback"),
                        toOpen.message());
            }
            assertEquals(0, connectionsToOther.get(), "refused before any connection");
        } finally {
            demo.close();
            other.close();
        }
    }

    @Test
    void aServerOnTheDemoEndpointWithACertificateForAnotherNameIsBadTls() throws Exception {
        HttpServer demo = server(DEMO_CA.issueFor("other.example"), new AtomicInteger());
        int port = demo.actualPort();
        try (VertxHttpsAdapter adapter = new VertxHttpsAdapter(vertx, asRunConfiguresTheDemo(port).build())) {
            Reject r = rejected(fetch(adapter, OutcallRequest.builder("https://localhost:" + port + "/").build()),
                    RejectCode.SYS_TRANSIENT, RejectKind.BAD_TLS);
            assertTrue(r.message().contains("does not match"), r.message());
        } finally {
            demo.close();
        }
    }

    /**
     * A name that resolves to loopback, allowed by the operator, whose server shows a certificate
     * the demo CA signed for that name: the demo CA vouches for the demo's hosts only. With the
     * same CA trusted for every host (the old way), the same fetch succeeds.
     */
    @Test
    void theDemoCaIsNotTrustedForAnotherHost() throws Exception {
        String elsewhere = LoopbackNameServer.LOOPBACK_PREFIX + "elsewhere.test";
        HttpServer impostor = server(DEMO_CA.issueFor(elsewhere), new AtomicInteger());
        int port = impostor.actualPort();
        String url = "https://" + elsewhere + ":" + port + "/";
        try (LoopbackNameServer names = new LoopbackNameServer();
                VertxHttpsAdapter scoped = new VertxHttpsAdapter(vertx, asRunConfiguresTheDemo(7443)
                        .allowTarget(elsewhere).dnsServer(names.address()).build());
                VertxHttpsAdapter everywhere = new VertxHttpsAdapter(vertx, asRunConfiguresTheDemo(7443)
                        .allowTarget(elsewhere).dnsServer(names.address()).trustCa(AdapterFixture.caPem()).build())) {
            Reject r = rejected(fetch(scoped, OutcallRequest.builder(url).build()), RejectCode.SYS_TRANSIENT,
                    RejectKind.BAD_TLS);
            assertTrue(r.message().contains(elsewhere) && r.message().contains("not signed by a trusted root"), r.message());
            assertEquals("served /", text(ok(fetch(everywhere, OutcallRequest.builder(url).build()))));
        } finally {
            impostor.close();
        }
    }
}
