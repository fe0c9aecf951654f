package org.outcalls.gateway.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dashboard's data, its event stream and /metrics over a real 4-replica subnet and real HTTP. */
class DashboardAndMetricsTest {
    static LiveGateway gw;
    static String agreed;
    static String divergent;

    @BeforeAll
    static void start() throws Exception {
        gw = new LiveGateway();
        agreed = gw.submit("/fixed");
        divergent = gw.submit("/price");
        assertEquals("completed", gw.await(agreed).path("status").asText());
        JsonNode d = gw.await(divergent);
        assertEquals("no_consensus", d.path("reject").path("kind").asText(), d.toString());
    }

    @AfterAll
    static void stop() throws Exception {
        gw.close();
    }

    @Test
    void thePageAndItsAssetsAreServed() throws Exception {
        HttpResponse<String> page = gw.get("/");
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("content-type").orElse("").startsWith("text/html"));
        assertTrue(page.body().contains("<script src=\"/dashboard.js\">"), page.body());
        assertTrue(gw.get("/dashboard.js").body().contains("/api/v1/dashboard/events"));
        assertEquals(200, gw.get("/dashboard.css").statusCode());
    }

    @Test
    void aNoConsensusNamesTheJsonPointerWhoseValuesDiffered() throws Exception {
        JsonNode d = gw.getJson("/api/v1/dashboard").path("diagnostics");
        JsonNode nc = null;
        for (JsonNode n : d.path("no_consensus")) {
            if (n.path("message_id").asText().equals(divergent)) {
                nc = n;
            }
        }
        assertTrue(nc != null, "no-consensus of " + divergent + " missing: " + d.path("no_consensus"));
        // Three distinct answers already prove divergence at n = 4 (more than f outside the largest
        // group), so the fourth may not have arrived when the block maker decided.
        int groups = nc.path("groups").size();
        assertTrue(groups == 3 || groups == 4, nc.toString());
        List<String> fields = new ArrayList<>();
        nc.path("differences").forEach(f -> fields.add(f.path("field").asText()));
        assertEquals(List.of("body /price/usd"), fields, nc.toString());
        List<String> values = new ArrayList<>();
        nc.path("differences").get(0).path("values").forEach(v -> values.add(v.asText()));
        assertEquals(groups, values.size(), nc.toString());
        assertTrue(List.of("10.25", "11.25", "12.25", "13.25").containsAll(values), values.toString());
        assertTrue(nc.path("url").asText().endsWith("/price"));
    }

    @Test
    void replicasRecentOutcallsAndPluginsAreInTheSnapshot() throws Exception {
        JsonNode snapshot = gw.getJson("/api/v1/dashboard");
        JsonNode d = snapshot.path("diagnostics");
        assertEquals(4, d.path("replicas").size());
        for (JsonNode r : d.path("replicas")) {
            assertEquals("up", r.path("state").asText());
            assertEquals(3, r.path("peers").size());
            r.path("peers").forEach(p -> assertTrue(p.path("connected").asBoolean(), r.toString()));
        }
        assertTrue(d.path("state_hash_agreement").asBoolean());
        List<String> ended = new ArrayList<>();
        d.path("recent").forEach(o -> ended.add(o.path("message_id").asText() + " " + o.path("status").asText()
                + " " + o.path("kind").asText()));
        assertTrue(ended.contains(agreed + " completed ok"), ended.toString());
        assertTrue(ended.contains(divergent + " rejected no_consensus"), ended.toString());
        assertTrue(d.path("end_to_end").path("count").asLong() >= 2);
        assertTrue(d.path("fetch").path("count").asLong() >= 8, "4 replicas fetched twice: " + d.path("fetch"));
        assertEquals("0.1.0", snapshot.path("subnet").path("enabled_plugins").path("two-thirds").asText());
    }

    @Test
    void metricsAreValidPrometheusTextWithTheOutcomesAndLatencies() throws Exception {
        HttpResponse<String> r = gw.get("/metrics");
        assertEquals(200, r.statusCode());
        assertEquals(PrometheusText.CONTENT_TYPE, r.headers().firstValue("content-type").orElseThrow());
        PrometheusParser p = PrometheusParser.parse(r.body());
        assertTrue(p.value("outcalls_outcalls_total", Map.of("status", "completed", "kind", "ok")) >= 1, r.body());
        assertTrue(p.value("outcalls_outcalls_total", Map.of("status", "rejected", "kind", "no_consensus")) >= 1);
        assertEquals("histogram", p.types.get("outcalls_outcall_duration_seconds"));
        assertEquals("histogram", p.types.get("outcalls_fetch_duration_seconds"));
        for (String h : List.of("outcalls_outcall_duration_seconds", "outcalls_fetch_duration_seconds")) {
            List<PrometheusParser.Sample> buckets = p.named(h + "_bucket");
            for (int i = 1; i < buckets.size(); i++) {
                assertTrue(buckets.get(i).value() >= buckets.get(i - 1).value(), "cumulative buckets: " + buckets);
            }
            assertEquals("+Inf", buckets.get(buckets.size() - 1).labels().get("le"));
            assertEquals(p.value(h + "_count", Map.of()), buckets.get(buckets.size() - 1).value());
        }
        for (int replica = 0; replica < 4; replica++) {
            String id = Integer.toString(replica);
            assertTrue(p.value("outcalls_finalized_height", Map.of("replica", id)) > 0);
            assertEquals(1, p.value("outcalls_replica_up", Map.of("replica", id, "state", "up")));
            for (int peer = 0; peer < 4; peer++) {
                if (peer != replica) {
                    assertEquals(1, p.value("outcalls_peer_connected", Map.of("replica", id, "peer", Integer.toString(peer))));
                }
            }
            assertTrue(p.samples.stream().anyMatch(s -> s.name().equals("outcalls_pool_size")
                    && s.labels().equals(Map.of("replica", id, "pool", "ingress_messages"))));
        }
        assertTrue(p.value("outcalls_blocks_per_second", Map.of()) > 0);
        assertEquals(1, p.value("outcalls_state_hash_agreement", Map.of()));
    }

    @Test
    void theEventStreamSendsSnapshots() throws Exception {
        HttpResponse<InputStream> r = gw.http.send(HttpRequest.newBuilder(URI.create(gw.base + "/api/v1/dashboard/events"))
                .build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            int snapshots = 0;
            String event = null;
            for (String line = in.readLine(); line != null && snapshots < 2; line = in.readLine()) {
                if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    assertEquals("snapshot", event);
                    JsonNode s = LiveGateway.MAPPER.readTree(line.substring(6));
                    assertEquals(4, s.path("diagnostics").path("replicas").size());
                    snapshots++;
                }
            }
            assertEquals(2, snapshots, "two snapshots, a period apart");
        }
    }
}
