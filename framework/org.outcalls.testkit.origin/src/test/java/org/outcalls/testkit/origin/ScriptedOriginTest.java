package org.outcalls.testkit.origin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The scripted origin's hostile powers, seen by a real HTTPS client: paced and endless bodies, hostile bodies. */
class ScriptedOriginTest {
    private ScriptedOrigin origin;
    private HttpClient client;

    @BeforeEach
    void start() throws Exception {
        origin = ScriptedOrigin.start();
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream pem = Files.newInputStream(origin.caPem())) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(pem));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        client = HttpClient.newBuilder().sslContext(tls).build();
    }

    @AfterEach
    void stop() {
        origin.close();
    }

    private HttpResponse<InputStream> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(origin.url(path))).build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    @Test
    void aPacedBodyComesWholeInChunksOverTime() throws Exception {
        byte[] body = "0123456789".repeat(3).getBytes(); // 30 bytes: 6 chunks of 5, 5 waits of 100 ms
        origin.route("/slow", r -> new ScriptedOrigin.Reply(200, java.util.List.of(), body)).pace("/slow", 5, Duration.ofMillis(100));
        long start = System.nanoTime();
        HttpResponse<InputStream> r = get("/slow");
        long headMillis = (System.nanoTime() - start) / 1_000_000;
        byte[] read;
        try (InputStream in = r.body()) {
            read = in.readAllBytes();
        }
        long allMillis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(200, r.statusCode());
        assertArrayEquals(body, read);
        assertTrue(allMillis >= 500, "the whole body came after " + allMillis + " ms, not after 5 waits of 100 ms");
        assertTrue(allMillis - headMillis >= 400, "head after " + headMillis + " ms, body after " + allMillis + " ms");
    }

    @Test
    void anEndlessBodyKeepsComingUntilTheClientLeaves() throws Exception {
        origin.route("/endless", r -> ScriptedOrigin.Reply.endless().withHeader("x-kept", "yes"))
                .pace("/endless", 64, Duration.ofMillis(20));
        HttpResponse<InputStream> r = get("/endless");
        assertEquals(200, r.statusCode());
        assertEquals("yes", r.headers().firstValue("x-kept").orElse(null), "a header added to an endless reply");
        assertTrue(r.headers().firstValue("x-scripted-origin-endless").isEmpty(), "the marker is not sent");
        try (InputStream in = r.body()) {
            byte[] some = in.readNBytes(64 * 20); // 20 chunks: it neither ends nor stalls
            assertEquals(64 * 20, some.length);
            for (byte b : some) {
                assertEquals('x', b);
            }
            assertEquals(1, origin.dribbling());
        }
        // the client closed the body half-read: it goes away, and with it the connection
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (origin.dribbling() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(0, origin.dribbling(), "the endless body stopped when its client left");
    }

    @Test
    void hostileBodiesAreWhatTheySay() throws Exception {
        ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        assertEquals(new BigDecimal("1e999999999"), json.readTree(HostileBodies.hugeExponent("p")).get("p").decimalValue());
        assertEquals(new BigDecimal("1e-999999999"), json.readTree(HostileBodies.tinyExponent("p")).get("p").decimalValue());
        assertEquals(500, new BigDecimal(HostileBodies.longDigits("p", 500).replaceAll("[^0-9]", "")).precision());
        ObjectMapper deep = new ObjectMapper();
        deep.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(10_000).build());
        JsonNode n = deep.readTree(HostileBodies.deepNesting(5_000));
        int depth = 0;
        while (n.isObject()) {
            n = n.get("a");
            depth++;
        }
        assertEquals(5_000, depth);
        assertEquals(10_000, json.readTree(HostileBodies.manyKeys(10_000)).size());
        assertEquals("a".repeat(40), HostileBodies.backtracking(40));
        assertEquals(3 << 20, HostileBodies.oversized(3 << 20).length);
        assertThrows(IllegalArgumentException.class, () -> HostileBodies.deepNesting(0));
        assertThrows(IllegalArgumentException.class, () -> origin.pace("/x", 0, Duration.ofMillis(1)));
    }
}
