package org.outcalls.launcher.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code outcalls call}'s retry of a submission the gateway refused as {@code subnet_busy}: over
 * real HTTP to a stand-in gateway that answers 503 busy a given number of times, then 202. Waiting
 * is recorded, not slept.
 */
class BusyRetryTest {
    private static final String BUSY = "{\"error\":{\"status\":503,\"kind\":\"subnet_busy\",\"message\":\"the subnet is busy\","
            + "\"retry_after\":%d}}";

    private HttpServer gateway;
    private final AtomicInteger busyAnswers = new AtomicInteger();
    private volatile int retryAfter = 1;
    private volatile String otherBody;
    private final AtomicInteger posts = new AtomicInteger();
    private final List<Duration> slept = new ArrayList<>();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private GatewayClient client;

    @BeforeEach
    void start() throws IOException {
        gateway = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        gateway.createContext("/api/v1/outcalls", ex -> {
            posts.incrementAndGet();
            if (otherBody != null) {
                reply(ex, 503, otherBody, -1);
            } else if (busyAnswers.getAndDecrement() > 0) {
                reply(ex, 503, String.format(BUSY, retryAfter), retryAfter);
            } else {
                reply(ex, 202, "{\"id\":\"abc\"}", -1);
            }
        });
        gateway.start();
        client = new GatewayClient("http://127.0.0.1:" + gateway.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        gateway.stop(0);
    }

    private static void reply(HttpExchange ex, int status, String json, int retryAfter) throws IOException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("content-type", "application/json");
        if (retryAfter >= 0) {
            ex.getResponseHeaders().add("retry-after", Integer.toString(retryAfter));
        }
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }

    private GatewayClient.Reply submit(Duration budget) throws Exception {
        BusyRetry retry = new BusyRetry("outcalls call", new PrintStream(err, true, StandardCharsets.UTF_8), slept::add);
        return retry.run(() -> client.post("api/v1/outcalls", "{}".getBytes(StandardCharsets.UTF_8)), budget);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void retriesWithExponentialBackOffAndSaysSo() throws Exception {
        busyAnswers.set(3);
        GatewayClient.Reply r = submit(Duration.ofSeconds(90));
        assertEquals(202, r.status());
        assertEquals(4, posts.get());
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4)), slept);
        assertTrue(stderr().contains("outcalls call: subnet busy, retrying in 1 s"), stderr());
        assertTrue(stderr().contains("outcalls call: subnet busy, retrying in 4 s"), stderr());
    }

    @Test
    void honoursALongerRetryAfter() throws Exception {
        busyAnswers.set(2);
        retryAfter = 5;
        assertEquals(202, submit(Duration.ofSeconds(90)).status());
        assertEquals(List.of(Duration.ofSeconds(5), Duration.ofSeconds(5)), slept, "Retry-After 5 over back-off 1, 2");
    }

    @Test
    void theBackOffIsCappedAndTheTimeoutBoundsTheWaiting() throws Exception {
        busyAnswers.set(1_000);
        GatewayClient.Reply r = submit(Duration.ofSeconds(40));
        assertEquals(503, r.status(), "still busy: the last answer is returned");
        assertEquals(List.of(1L, 2L, 4L, 8L, 16L), slept.stream().map(Duration::toSeconds).toList(),
                "31 s waited; another 16 s would pass the 40 s budget");
        assertTrue(stderr().contains("subnet busy, giving up after 31 s"), stderr());
    }

    @Test
    void anotherRefusalIsNotRetried() throws Exception {
        otherBody = "{\"error\":{\"status\":503,\"message\":\"the subnet did not accept the request\"}}";
        assertEquals(503, submit(Duration.ofSeconds(90)).status());
        assertEquals(1, posts.get());
        assertTrue(slept.isEmpty());
        assertEquals("", stderr());
    }
}
