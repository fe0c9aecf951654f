package org.outcalls.replica;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The plugin table reads the same from a node's document as from that document parsed by a client. */
class PluginTableTest {
    private static SubnetStatus.ReplicaRow row(int index, List<String> installed) {
        return new SubnetStatus.ReplicaRow(index, "node-" + index, "key", null, "up", "none", 5L, 5L, "", null, null,
                null, List.of(), installed, null);
    }

    @Test
    void typedAndParsedDocumentsGiveTheSameTable() {
        SubnetStatus status = new SubnetStatus("subnet", null, 3, 0, 3, 2, Map.of(), Map.of("median", "0.2.0"),
                Map.of(), null, null, null, null, List.of(), true, List.of(row(0, List.of("median@0.1.0",
                "median@0.2.0")), row(1, List.of("median@0.1.0", "json@1.0.0")), row(2, null)));
        Map<String, Object> parsed = new ObjectMapper().convertValue(status, new TypeReference<>() { });

        List<PluginTable.Row> expected = List.of(
                new PluginTable.Row("json", "", Map.of("1.0.0", List.of(1))),
                new PluginTable.Row("median", "0.2.0", Map.of("0.1.0", List.of(0, 1), "0.2.0", List.of(0))));
        assertEquals(expected, PluginTable.of(status));
        assertEquals(expected, PluginTable.of(parsed));
    }
}
