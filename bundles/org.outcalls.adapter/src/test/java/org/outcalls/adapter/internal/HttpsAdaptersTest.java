package org.outcalls.adapter.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.outcalls.adapter.FetchResult;
import org.outcalls.adapter.HttpsAdapters;
import org.outcalls.api.OutcallRequest;
import org.outcalls.api.RejectKind;

/** The factory for use outside OSGi takes the configuration keys with the values a map holds. */
class HttpsAdaptersTest {

    @Test
    void acceptsNaturalValueTypesAndNamesBadOnes() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (HttpsAdapters.Closeable adapter = HttpsAdapters.create(vertx, Map.of("requestTimeoutMillis", 5000,
                "maxConnectionsPerHost", "4", "allowTargets", List.of("10.0.0.0/8")))) {
            // 10/8 is allowed, 192.168/16 is not: the list reached the adapter.
            FetchResult blocked = adapter.fetch(OutcallRequest.builder("https://192.168.1.1/").build())
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertEquals(RejectKind.DESTINATION_BLOCKED, blocked.reject().orElseThrow().kind());
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
        // dnsServers reaches the adapter: the loopback server's NXDOMAIN comes back named.
        Vertx other = Vertx.vertx();
        try (LoopbackNameServer ns = new LoopbackNameServer();
                HttpsAdapters.Closeable adapter = HttpsAdapters.create(other, Map.of("dnsServers", List.of(ns.address())))) {
            FetchResult absent = adapter.fetch(OutcallRequest.builder("https://absent-name.test/").build())
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
            String m = absent.reject().orElseThrow().message();
            assertTrue(m.contains("no such host") && m.contains(ns.address()), m);
        } finally {
            other.close().toCompletionStage().toCompletableFuture().get();
        }
        String unknown = assertThrows(IllegalArgumentException.class,
                () -> HttpsAdapters.create(null, Map.of("timeout", 1))).getMessage();
        assertTrue(unknown.contains("'timeout'"), unknown);
        String notNumber = assertThrows(IllegalArgumentException.class,
                () -> HttpsAdapters.create(null, Map.of("connectTimeoutMillis", "soon"))).getMessage();
        assertTrue(notNumber.contains("connectTimeoutMillis = 'soon'"), notNumber);
    }
}
