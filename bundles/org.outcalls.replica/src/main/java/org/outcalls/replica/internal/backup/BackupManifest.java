package org.outcalls.replica.internal.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a backup archive holds, written first into it as {@value #NAME}: whose store it is (subnet,
 * replica, node key), what it covers (finalized heights, checkpoints, the state at the snapshot),
 * and each file's size and SHA-256, so a restore can refuse a damaged or foreign archive before it
 * touches a data folder.
 */
public record BackupManifest(int format, String createdAt, String subnetId, int replica, String nodeId,
                             String nodePublicKey, long lowestHeight, long highestHeight, List<Long> checkpoints,
                             long executedHeight, String stateHash, Map<String, FileEntry> files) {
    public static final String NAME = "outcalls-backup.json";
    public static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A file of the archive, by its path inside it. */
    public record FileEntry(long bytes, String sha256) {
    }

    public BackupManifest {
        checkpoints = List.copyOf(checkpoints);
        files = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(files));
    }

    public byte[] toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("format", format).put("created_at", createdAt).put("subnet_id", subnetId).put("replica", replica)
                .put("node_id", nodeId).put("node_public_key", nodePublicKey).put("lowest_height", lowestHeight)
                .put("highest_height", highestHeight);
        checkpoints.forEach(o.putArray("checkpoints")::add);
        o.put("executed_height", executedHeight).put("state_hash", stateHash);
        ObjectNode f = o.putObject("files");
        files.forEach((name, e) -> f.putObject(name).put("bytes", e.bytes()).put("sha256", e.sha256()));
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(o);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @throws IOException naming the field that is missing or wrong */
    public static BackupManifest parse(byte[] json) throws IOException {
        JsonNode o;
        try {
            o = JSON.readTree(json);
        } catch (IOException e) {
            throw new IOException(NAME + " is not JSON: " + e.getMessage());
        }
        if (o == null || !o.isObject()) {
            throw new IOException(NAME + " is not a JSON object");
        }
        int format = o.path("format").asInt(-1);
        if (format != FORMAT) {
            throw new IOException(NAME + ": format " + o.path("format") + ", this version reads " + FORMAT);
        }
        List<Long> checkpoints = new ArrayList<>();
        o.path("checkpoints").forEach(c -> checkpoints.add(c.asLong()));
        Map<String, FileEntry> files = new LinkedHashMap<>();
        JsonNode f = o.path("files");
        if (!f.isObject() || f.isEmpty()) {
            throw new IOException(NAME + ": files is missing");
        }
        for (var it = f.fields(); it.hasNext(); ) {
            var e = it.next();
            String sha = e.getValue().path("sha256").asText("");
            long bytes = e.getValue().path("bytes").asLong(-1);
            if (!sha.matches("[0-9a-f]{64}") || bytes < 0) {
                throw new IOException(NAME + ": files." + e.getKey() + " needs bytes and a hex sha256");
            }
            files.put(e.getKey(), new FileEntry(bytes, sha));
        }
        return new BackupManifest(format, text(o, "created_at"), text(o, "subnet_id"), o.path("replica").asInt(-1),
                text(o, "node_id"), text(o, "node_public_key"), o.path("lowest_height").asLong(),
                o.path("highest_height").asLong(), checkpoints, o.path("executed_height").asLong(),
                o.path("state_hash").asText(""), files);
    }

    private static String text(JsonNode o, String field) throws IOException {
        String v = o.path(field).asText("");
        if (v.isEmpty()) {
            throw new IOException(NAME + ": " + field + " is missing");
        }
        return v;
    }
}
