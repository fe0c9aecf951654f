package org.outcalls.gateway.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.outcalls.testkit.TestSubnet;

/**
 * The keys of {@code GET /api/v1/subnet} of the embedded subnet, their order and their JSON types,
 * as the dashboard's script and the clients read them: the typed document must write what the maps
 * it replaced wrote. The dashboard's feed (its own mapper, snake_case by default) writes the same.
 */
class SubnetStatusDocumentTest {
    private static final JsonNodeType NUMBER = JsonNodeType.NUMBER;
    private static final JsonNodeType STRING = JsonNodeType.STRING;
    private static final JsonNodeType ARRAY = JsonNodeType.ARRAY;
    private static final JsonNodeType OBJECT = JsonNodeType.OBJECT;

    @Test
    void theEmbeddedSubnetsDocumentKeepsItsKeysAndTypes() throws Exception {
        try (TestSubnet subnet = TestSubnet.builder().start()) {
            subnet.awaitHeight(2, Duration.ofSeconds(30));
            subnet.subnet().hidePlugins(3, List.of("median"));
            JsonNode doc = new ObjectMapper().valueToTree(subnet.node().status());

            assertEquals(ordered("subnet_id", STRING, "replica_count", NUMBER, "faults_tolerated", NUMBER,
                    "threshold", NUMBER, "registry_version", NUMBER, "membership", OBJECT, "enabled_plugins", OBJECT,
                    "installed_plugins", OBJECT, "missing_plugins", ARRAY, "state_hash_agreement", JsonNodeType.BOOLEAN,
                    "replicas", ARRAY), keys(doc));
            assertEquals(ordered("pending", JsonNodeType.NULL, "last_applied", JsonNodeType.NULL,
                    "changes_applied", NUMBER), keys(doc.path("membership")), "no change yet: both named, as null");
            assertEquals(4, doc.path("replicas").size());
            List<String> row = ordered("index", NUMBER, "node_id", STRING, "public_key", STRING,
                    "state", STRING, "fault", STRING, "finalized_height", NUMBER, "executed_height", NUMBER,
                    "state_hash", STRING, "missing_plugins", ARRAY, "installed_plugins", ARRAY);
            assertEquals(row, keys(doc.path("replicas").get(0)));
            assertEquals("none", doc.path("replicas").get(0).path("fault").asText());
            List<String> hiding = new ArrayList<>(row);
            hiding.add("hidden_plugins: " + ARRAY);
            assertEquals(hiding, keys(doc.path("replicas").get(3)));
            assertEquals("[\"median\"]", doc.path("replicas").get(3).path("hidden_plugins").toString());

            JsonNode feed = DashboardFeed.MAPPER.valueToTree(subnet.node().status());
            assertEquals(keys(doc), keys(feed));
            assertEquals(keys(doc.path("replicas").get(3)), keys(feed.path("replicas").get(3)));
        }
    }

    /** {@code key: TYPE} per pair, in order. */
    private static List<String> ordered(Object... keyTypePairs) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < keyTypePairs.length; i += 2) {
            out.add(keyTypePairs[i] + ": " + keyTypePairs[i + 1]);
        }
        return out;
    }

    /** The object's keys in document order, each with the JSON type of its value. */
    private static List<String> keys(JsonNode object) {
        List<String> out = new ArrayList<>();
        object.properties().forEach(e -> out.add(e.getKey() + ": " + e.getValue().getNodeType()));
        return out;
    }
}
