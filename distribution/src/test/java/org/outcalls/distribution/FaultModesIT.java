package org.outcalls.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code outcalls run --faulty 1 --fault MODE} for the modes that attack agreement from inside:
 * with one of four replicas forging items of another policy, signing extreme values or flooding
 * its peers, the README's walkthrough still gives its results — the demo's hello agreed, a median
 * of the demo prices within the honest prices and genuine, the price-feed canister storing one.
 */
class FaultModesIT {
    private static final Duration CLI = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The demo origin's prices lie around 12.35; an extreme value would be far outside this. */
    private static final BigDecimal LOWEST_HONEST = new BigDecimal("10");
    private static final BigDecimal HIGHEST_HONEST = new BigDecimal("15");

    @TempDir
    static Path temp;

    @ParameterizedTest
    @ValueSource(strings = {"forge-policy", "extreme-value", "flood"})
    void theWalkthroughGivesItsResultsWithOneFaultyReplica(String mode) throws Exception {
        Path dir = Files.createDirectories(temp.resolve(mode));
        try (OutcallsProcess run = OutcallsProcess.start(Dist.home(), dir, "run", "--faulty", "1", "--fault", mode,
                "--http-port", "0", "--demo-port", "0", "--data", dir.resolve("data").toString())) {
            String ready = run.awaitStdout(l -> l.startsWith("outcalls ready in "), Duration.ofSeconds(60));
            Matcher g = Pattern.compile("gateway (http://\\S+/)").matcher(ready);
            Matcher d = Pattern.compile("demo origin (https://\\S+/)").matcher(ready);
            assertTrue(g.find() && d.find(), ready);
            String gateway = g.group(1);
            String demo = d.group(1);

            OutcallsProcess.Result hello = OutcallsProcess.run(Dist.home(), dir, CLI, "call", demo + "hello", "--json",
                    "--gateway", gateway);
            assertEquals(0, hello.exitCode(), mode + ": " + hello.stdout() + hello.stderr());
            String body = new String(java.util.Base64.getDecoder().decode(JSON.readTree(hello.stdout()).path("response")
                    .path("body").asText()), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(body.contains("hello from the demo origin"), mode + ": " + hello.stdout());
            Path savedHello = dir.resolve("hello.json");
            Files.writeString(savedHello, hello.stdout());
            // a forged one-share item of another policy would be refused here, were it ever delivered
            OutcallsProcess.Result agreed = OutcallsProcess.run(Dist.home(), dir, CLI, "verify", savedHello.toString(),
                    "--gateway", gateway, "--require-policy", "two-thirds", "--min-signers", "3");
            assertEquals(0, agreed.exitCode(), mode + ": " + agreed.stdout() + agreed.stderr());

            OutcallsProcess.Result median = OutcallsProcess.run(Dist.home(), dir, CLI, "call", demo + "price",
                    "--transform", "number:/price", "--policy", "median", "--json", "--gateway", gateway);
            assertEquals(0, median.exitCode(), mode + ": " + median.stdout() + median.stderr());
            JsonNode value = JSON.readTree(median.stdout()).path("value");
            assertTrue(value.path("count").asInt() >= 3, mode + ": " + value);
            for (String field : new String[] {"median", "min", "max"}) {
                BigDecimal v = new BigDecimal(value.path(field).asText());
                assertTrue(v.compareTo(LOWEST_HONEST) > 0 && v.compareTo(HIGHEST_HONEST) < 0,
                        mode + ": " + field + " " + v + " is not a demo price: " + value);
            }
            Path saved = dir.resolve("price.json");
            Files.writeString(saved, median.stdout());
            OutcallsProcess.Result verified = OutcallsProcess.run(Dist.home(), dir, CLI, "verify", saved.toString(),
                    "--gateway", gateway);
            assertEquals(0, verified.exitCode(), mode + ": " + verified.stdout() + verified.stderr());
            assertTrue(verified.stdout().startsWith("GENUINE: median of "), mode + ": " + verified.stdout());

            assertThePriceFeedStoresAMedian(gateway, demo, mode);
            run.terminate();
            assertEquals(0, run.awaitExit(Duration.ofSeconds(30)), mode + ": " + run.stderr());
        }
    }

    private static void assertThePriceFeedStoresAMedian(String gateway, String demo, String mode) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> refresh = http.send(HttpRequest.newBuilder(URI.create(gateway
                        + "api/v1/canisters/price-feed/update/refresh"))
                .header("content-type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofString(demo + "price")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(2, refresh.statusCode() / 100, mode + ": " + refresh.statusCode() + " " + refresh.body());
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonNode latest = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> q = http.send(HttpRequest.newBuilder(URI.create(gateway
                    + "api/v1/canisters/price-feed/query/latest")).build(), HttpResponse.BodyHandlers.ofString());
            if (q.statusCode() == 200 && q.body().contains("\"median\"")) {
                latest = JSON.readTree(q.body());
                break;
            }
            Thread.sleep(200);
        }
        assertTrue(latest != null, mode + ": the price feed stored no median within 60 s");
        BigDecimal stored = new BigDecimal(latest.path("median").asText());
        assertTrue(stored.compareTo(LOWEST_HONEST) > 0 && stored.compareTo(HIGHEST_HONEST) < 0, mode + ": " + latest);
    }
}
