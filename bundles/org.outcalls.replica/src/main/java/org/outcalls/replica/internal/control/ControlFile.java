package org.outcalls.replica.internal.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * {@code <data>/control.json}: where a running replica's control endpoint listens (a loopback port)
 * and the token it wants. Readable by the replica's user only: whoever can read the data folder may
 * back it up, nobody else on the host.
 */
record ControlFile(int port, String token, long pid, int replica) {
    static final String NAME = "control.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    void write(Path data) throws IOException {
        Path tmp = data.resolve(NAME + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp);
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the folder's own permissions protect it
        }
        Files.write(tmp, JSON.writeValueAsBytes(JSON.createObjectNode().put("port", port).put("token", token)
                .put("pid", pid).put("replica", replica)));
        Files.move(tmp, data.resolve(NAME), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** @throws IOException if missing or unreadable (the replica is not running, or not as this user) */
    static ControlFile read(Path data) throws IOException {
        JsonNode n = JSON.readTree(Files.readAllBytes(data.resolve(NAME)));
        int port = n.path("port").asInt(-1);
        String token = n.path("token").asText("");
        if (port < 1 || port > 65535 || token.isEmpty()) {
            throw new IOException(data.resolve(NAME) + " has no port and token");
        }
        return new ControlFile(port, token, n.path("pid").asLong(-1), n.path("replica").asInt(-1));
    }
}
