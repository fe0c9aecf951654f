package org.outcalls.adapter.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.outcalls.adapter.FetchResult;
import org.outcalls.api.OutcallRequest;
import org.outcalls.api.Reject;
import org.outcalls.api.RejectCode;
import org.outcalls.api.RejectKind;

/**
 * Name resolution holds no thread: with the adapter's name server a tarpit on loopback (it reads
 * queries and never answers), many lookups wait at once and each ends as a {@code dns_error} at
 * the connect limit, while fetches to a local origin by IP literal and by a hosts-file name
 * complete in the meantime.
 */
class NameResolutionTest {
    private static final int CONNECT_TIMEOUT_MILLIS = 4_000;
    private static final int TARPITTED = 200;
    private static final int LOCAL = 20;

    private static Vertx vertx;
    private static Vertx originVertx;
    private static HttpServer origin;
    private static LoopbackNameServer nameServer;
    private static VertxHttpsAdapter adapter;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        originVertx = Vertx.vertx();
        var cert = AdapterFixture.PKI.issueLocalhost();
        origin = originVertx.createHttpServer(new HttpServerOptions().setSsl(true).setHost("127.0.0.1").setPort(0)
                        .setKeyCertOptions(new PemKeyCertOptions().setCertValue(Buffer.buffer(cert.certificatePem()))
                                .setKeyValue(Buffer.buffer(cert.keyPem()))))
                .requestHandler(req -> req.response().end("served " + req.path()))
                .listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        nameServer = new LoopbackNameServer();
        adapter = new VertxHttpsAdapter(vertx, AdapterFixture.testSettings().dnsServer(nameServer.address())
                .connectTimeoutMillis(CONNECT_TIMEOUT_MILLIS).requestTimeoutMillis(30_000).build());
    }

    @AfterAll
    static void stop() throws Exception {
        adapter.close();
        nameServer.close();
        origin.close().toCompletionStage().toCompletableFuture().get();
        vertx.close().toCompletionStage().toCompletableFuture().get();
        originVertx.close().toCompletionStage().toCompletableFuture().get();
    }

    private static CompletableFuture<FetchResult> start(String url) {
        return adapter.fetch(OutcallRequest.builder(url).build()).toCompletableFuture();
    }

    @Test
    void aTarpitNameServerDelaysOnlyTheNamesItServes() throws Exception {
        String local = ":" + origin.actualPort() + "/local";
        ok(fetch(adapter, OutcallRequest.builder("https://localhost" + local).build())); // warm: TLS, pool

        long launched = System.nanoTime();
        List<CompletableFuture<FetchResult>> tarpitted = new ArrayList<>();
        for (int i = 0; i < TARPITTED; i++) {
            tarpitted.add(start("https://slow-" + i + ".tarpit.test/"));
        }
        // An event, not a duration: every lookup is waiting at the tarpit before the local fetches start.
        while (nameServer.asked().stream().filter(n -> n.startsWith("slow-")).count() < TARPITTED) {
            assertTrue(tarpitted.stream().noneMatch(CompletableFuture::isDone), "a tarpitted fetch ended early");
            Thread.sleep(10);
        }
        List<CompletableFuture<FetchResult>> locals = new ArrayList<>();
        for (int i = 0; i < LOCAL; i++) {
            locals.add(start((i % 2 == 0 ? "https://127.0.0.1" : "https://localhost") + local));
        }
        for (CompletableFuture<FetchResult> f : locals) {
            assertEquals("served /local", text(ok(f.get(60, TimeUnit.SECONDS))));
        }
        // The local fetches finished while every tarpitted lookup was still waiting for its limit.
        assertTrue(tarpitted.stream().noneMatch(CompletableFuture::isDone),
                "a tarpitted fetch ended before the local ones: " + tarpitted.stream().filter(CompletableFuture::isDone).count());

        for (CompletableFuture<FetchResult> f : tarpitted) {
            Reject r = rejected(f.get(60, TimeUnit.SECONDS), RejectCode.SYS_TRANSIENT, RejectKind.DNS_ERROR);
            assertTrue(r.message().contains("no answer from name server " + nameServer.address() + " within "
                    + CONNECT_TIMEOUT_MILLIS + " ms"), r.message());
        }
        long allEnded = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - launched);
        // Ended by the lookup's own bound (the connect limit), far from the 30 s request deadline.
        assertTrue(allEnded < 2L * CONNECT_TIMEOUT_MILLIS, "tarpitted fetches took " + allEnded + " ms");
        assertFalse(nameServer.asked().contains("localhost"), "localhost comes from the hosts file");
    }

    @Test
    void aNameThatDoesNotExistSaysSoAtOnce() throws Exception {
        Reject r = rejected(fetch(adapter, OutcallRequest.builder("https://" + LoopbackNameServer.ABSENT_PREFIX
                + "x.tarpit.test/").build()), RejectCode.SYS_TRANSIENT, RejectKind.DNS_ERROR);
        assertEquals("cannot resolve host 'absent-x.tarpit.test': no such host (name server " + nameServer.address()
                + " answered NXDOMAIN)", r.message());
    }
}
