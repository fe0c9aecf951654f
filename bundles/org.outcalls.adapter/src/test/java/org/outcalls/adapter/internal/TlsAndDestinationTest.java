package org.outcalls.adapter.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.outcalls.adapter.internal.AdapterFixture.fetch;
import static org.outcalls.adapter.internal.AdapterFixture.ok;
import static org.outcalls.adapter.internal.AdapterFixture.rejected;
import static org.outcalls.adapter.internal.AdapterFixture.text;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PemKeyCertOptions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.outcalls.api.HttpResponse;
import org.outcalls.api.OutcallRequest;
import org.outcalls.api.Reject;
import org.outcalls.api.RejectCode;
import org.outcalls.api.RejectKind;
import org.outcalls.testkit.origin.TestPki;

/**
 * Certificates (untrusted, expired, wrong host), private destinations (blocked by default,
 * allowed on request), and persistent HTTP/1.1 and HTTP/2 connections, against Vert.x HTTPS
 * servers on loopback.
 */
class TlsAndDestinationTest {
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

    /** An HTTPS server answering with the protocol version and the client's port (one per connection). */
    private static HttpServer server(TestPki.Issued cert, boolean h2) throws Exception {
        return server(cert, h2, conn -> { });
    }

    private static HttpServer server(TestPki.Issued cert, boolean h2,
            io.vertx.core.Handler<io.vertx.core.http.HttpConnection> connections) throws Exception {
        HttpServerOptions options = new HttpServerOptions().setSsl(true).setHost("127.0.0.1").setPort(0)
                .setKeyCertOptions(new PemKeyCertOptions().setCertValue(Buffer.buffer(cert.certificatePem()))
                        .setKeyValue(Buffer.buffer(cert.keyPem())));
        if (h2) {
            options.setUseAlpn(true).setAlpnVersions(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1));
        }
        return originVertx.createHttpServer(options)
                .connectionHandler(connections)
                .requestHandler(req -> req.response()
                        .putHeader("x-version", req.version().name())
                        .putHeader("x-client-port", String.valueOf(req.remoteAddress().port()))
                        .end("served " + req.method() + " " + req.uri()))
                .listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static String header(HttpResponse r, String name) {
        return r.headers().stream().filter(h -> h.name().equalsIgnoreCase(name)).findFirst().orElseThrow().value();
    }

    @Test
    void trustedCertificateForTheHostWorksAndHttp2IsNegotiatedAndPooled() throws Exception {
        HttpServer server = server(AdapterFixture.PKI.issueLocalhost(), true);
        try (VertxHttpsAdapter adapter = new VertxHttpsAdapter(vertx, AdapterFixture.testSettings().build())) {
            String url = "https://localhost:" + server.actualPort() + "/a";
            HttpResponse first = ok(fetch(adapter, OutcallRequest.builder(url).build()));
            assertEquals("served GET /a", text(first));
            assertEquals("HTTP_2", header(first, "x-version"));
            HttpResponse second = ok(fetch(adapter, OutcallRequest.builder(url).build()));
            assertEquals(header(first, "x-client-port"), header(second, "x-client-port"), "the connection is reused");
        } finally {
            server.close();
        }
    }

    @Test
    void http11ConnectionsAreKeptAlive() throws Exception {
        HttpServer server = server(AdapterFixture.PKI.issueLocalhost(), false);
        try (VertxHttpsAdapter adapter = new VertxHttpsAdapter(vertx, AdapterFixture.testSettings().build())) {
            String url = "https://127.0.0.1:" + server.actualPort() + "/b";
            HttpResponse first = ok(fetch(adapter, OutcallRequest.builder(url).build()));
            assertEquals("HTTP_1_1", header(first, "x-version"));
            HttpResponse second = ok(fetch(adapter, OutcallRequest.builder(url).build()));
            assertEquals(header(first, "x-client-port"), header(second, "x-client-port"), "the connection is reused");
        } finally {
            server.close();
        }
    }

    @Test
    void connectionsPerHostAreLimited() throws Exception {
        java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();
        HttpServer server = server(AdapterFixture.PKI.issueLocalhost(), false, conn -> connections.incrementAndGet());
        try (VertxHttpsAdapter adapter = new VertxHttpsAdapter(vertx, AdapterFixture.testSettings().maxConnectionsPerHost(2).build())) {
            String url = "https://127.0.0.1:" + server.actualPort() + "/d";
            List<java.util.concurrent.CompletableFuture<org.outcalls.adapter.FetchResult>> all = new java.util.ArrayList<>();
            for (int i = 0; i < 20; i++) {
                all.add(adapter.fetch(OutcallRequest.builder(url + i).build()).toCompletableFuture());
            }
            for (int i = 0; i < 20; i++) {
                assertEquals("served GET /d" + i, text(ok(all.get(i).get(30, TimeUnit.SECONDS))));
            }
            assertTrue(connections.get() <= 2, connections.get() + " connections for a limit of 2");
        } finally {
            server.close();
        }
    }

    @Test
    void idleConnectionsAreEvicted() throws Exception {
        java.util.concurrent.CompletableFuture<Void> closed = new java.util.concurrent.CompletableFuture<>();
        HttpServer server = server(AdapterFixture.PKI.issueLocalhost(), false,
                conn -> conn.closeHandler(v -> closed.complete(null)));
        try (VertxHttpsAdapter adapter = new VertxHttpsAdapter(vertx, AdapterFixture.testSettings().idleTimeoutSeconds(1).build())) {
            String url = "https://127.0.0.1:" + server.actualPort() + "/c";
            HttpResponse first = ok(fetch(adapter, OutcallRequest.builder(url).build()));
            // The client closes the idle connection by itself (waits for that event; asserts no duration).
            closed.get(30, TimeUnit.SECONDS);
            HttpResponse later = ok(fetch(adapter, OutcallRequest.builder(url).build()));
            assertNotEquals(header(first, "x-client-port"), header(later, "x-client-port"),
                    "a new connection after the idle one was evicted");
        } finally {
            server.close();
        }
    }

    @Test
    void untrustedCertificateIsBadTls() throws Exception {
        HttpServer server = server(TestPki.create("someone-else").issueLocalhost(), false);
        try (VertxHttpsAdapter adapter = new VertxHttpsAdapter(vertx, AdapterFixture.testSettings().build())) {
            Reject r = rejected(fetch(adapter, OutcallRequest.builder("https://localhost:" + server.actualPort() + "/").build()),
                    RejectCode.SYS_TRANSIENT, RejectKind.BAD_TLS);
            assertTrue(r.message().contains("localhost:" + server.actualPort()), r.message());
            assertTrue(r.message().contains("not signed by a trusted root"), r.message());
        } finally {
            server.close();
        }
    }

    @Test
    void expiredCertificateIsBadTls() throws Exception {
        HttpServer server = server(AdapterFixture.PKI.issueExpired(), false);
        try (VertxHttpsAdapter adapter = new VertxHttpsAdapter(vertx, AdapterFixture.testSettings().build())) {
            Reject r = rejected(fetch(adapter, OutcallRequest.builder("https://localhost:" + server.actualPort() + "/").build()),
                    RejectCode.SYS_TRANSIENT, RejectKind.BAD_TLS);
            assertTrue(r.message().contains("localhost:" + server.actualPort()), r.message());
            assertTrue(r.message().contains("expired"), r.message());
        } finally {
            server.close();
        }
    }

    @Test
    void wrongHostCertificateIsBadTls() throws Exception {
        HttpServer server = server(AdapterFixture.PKI.issueFor("other.example"), false);
        try (VertxHttpsAdapter adapter = new VertxHttpsAdapter(vertx, AdapterFixture.testSettings().build())) {
            Reject r = rejected(fetch(adapter, OutcallRequest.builder("https://localhost:" + server.actualPort() + "/").build()),
                    RejectCode.SYS_TRANSIENT, RejectKind.BAD_TLS);
            assertTrue(r.message().contains("localhost:" + server.actualPort()), r.message());
            assertTrue(r.message().contains("does not match"), r.message());
        } finally {
            server.close();
        }
    }

    @Test
    void privateDestinationsAreBlockedByDefaultAndAllowedOnRequest() throws Exception {
        HttpServer server = server(AdapterFixture.PKI.issueLocalhost(), false);
        int port = server.actualPort();
        AdapterSettings.Builder noAllow = AdapterSettings.builder().trustCa(AdapterFixture.caPem());
        try (VertxHttpsAdapter strict = new VertxHttpsAdapter(vertx, noAllow.build())) {
            for (String url : List.of("https://127.0.0.1:" + port + "/", "https://localhost:" + port + "/",
                    "https://[::ffff:127.0.0.1]:" + port + "/", "https://[::1]:" + port + "/",
                    "https://10.1.2.3/", "https://192.168.0.1/", "https://169.254.169.254/latest/meta-data",
                    "https://100.64.0.1/", "https://[fd00::1]/", "https://[fe80::1]/", "https://0.0.0.0/",
                    "https://224.0.0.1/")) {
                Reject r = rejected(fetch(strict, OutcallRequest.builder(url).build()), RejectCode.SYS_TRANSIENT,
                        RejectKind.DESTINATION_BLOCKED);
                assertTrue(r.message().contains("--allow-target"), r.message());
            }
        }
        try (VertxHttpsAdapter byHost = new VertxHttpsAdapter(vertx,
                AdapterSettings.builder().trustCa(AdapterFixture.caPem()).allowTarget("localhost").build())) {
            ok(fetch(byHost, OutcallRequest.builder("https://localhost:" + port + "/").build()));
            rejected(fetch(byHost, OutcallRequest.builder("https://127.0.0.1:" + port + "/").build()),
                    RejectCode.SYS_TRANSIENT, RejectKind.DESTINATION_BLOCKED);
        }
        try (VertxHttpsAdapter byAddress = new VertxHttpsAdapter(vertx,
                AdapterSettings.builder().trustCa(AdapterFixture.caPem()).allowTarget("127.0.0.1").build())) {
            assertEquals("served GET /ok", text(ok(fetch(byAddress, OutcallRequest.builder("https://127.0.0.1:" + port + "/ok").build()))));
            assertEquals("served GET /ok", text(ok(fetch(byAddress, OutcallRequest.builder("https://localhost:" + port + "/ok").build()))));
        } finally {
            server.close();
        }
    }
}
