package org.outcalls.replica.internal.multihost;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outcalls.crypto.Hash;
import org.outcalls.crypto.NodeKey;
import org.outcalls.replica.Genesis;
import org.outcalls.replica.cup.CatchUpPackage;
import org.outcalls.replica.cup.CupContent;
import org.outcalls.replica.internal.statesync.SyncProgress;
import org.outcalls.replica.internal.store.ReplicaStore;
import org.outcalls.replica.internal.store.StoreSettings;
import org.outcalls.replica.local.Plugins;
import org.outcalls.replica.multihost.ReplicaConfig;
import org.outcalls.transport.ProtocolThread;
import org.outcalls.transport.TcpTransport;
import org.outcalls.transport.Transports;

/**
 * The keys of {@code GET /api/v1/subnet} of a multi-host replica that still syncs its state (no
 * node yet, its peers not started), their order and JSON types, as the dashboard's script and
 * {@code outcalls status} read them.
 */
class HostedStatusDocumentTest {
    @TempDir
    Path dir;

    @Test
    void aSyncingReplicasDocumentKeepsItsKeysAndTypes() throws Exception {
        List<NodeKey> keys = new ArrayList<>();
        Genesis.Builder g = Genesis.builder().timeMillis(System.currentTimeMillis());
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            keys.add(NodeKey.generate());
            ports.add(freePort());
            g.member(keys.get(i).publicKey(), "127.0.0.1:" + ports.get(i));
        }
        Genesis genesis = g.build();
        ReplicaConfig config = new ReplicaConfig(dir.resolve("replica.json"), 0, dir.resolve("node.key"), "127.0.0.1",
                ports.get(0), dir, Optional.empty(), Duration.ofMillis(100), Duration.ofMillis(500),
                ReplicaConfig.Store.DEFAULT, genesis);
        Vertx vertx = Vertx.vertx();
        try (ProtocolThread thread = new ProtocolThread("hosted-status-test");
             ReplicaStore store = ReplicaStore.open(dir.resolve("store"), genesis.subnetIdBytes(),
                     keys.get(0).publicKey(), StoreSettings.DEFAULT);
             TcpTransport transport = Transports.tcp(vertx, keys.get(0), 0, MemberPinning.peers(config.members()),
                     "127.0.0.1", ports.get(0), genesis.subnetIdBytes(), thread, TcpTransport.Settings.DEFAULT)) {
            CatchUpPackage cup = CatchUpPackage.of(new CupContent(Hash.wrap(genesis.subnetIdBytes()), 100,
                    hash(1), hash(2), hash(3), 1, keys.stream().map(NodeKey::publicKey).toList()),
                    Map.of(0, new byte[64], 2, new byte[64], 3, new byte[64]));
            JsonNode doc = new ObjectMapper().valueToTree(new HostedStatus(config, store, transport, null,
                    new SyncProgress(), Optional.of(cup), Plugins.of(List.of(), List.of(), List.of())).toStatus());

            assertEquals(List.of("subnet_id: STRING", "mode: STRING", "replica_count: NUMBER",
                    "faults_tolerated: NUMBER", "threshold: NUMBER", "registry_version: NUMBER",
                    "enabled_plugins: OBJECT", "installed_plugins: OBJECT", "this_replica: OBJECT", "cycles: OBJECT",
                    "newest_cup: OBJECT", "store: OBJECT", "missing_plugins: ARRAY", "replicas: ARRAY"), keys(doc));
            assertEquals("multi-host", doc.path("mode").asText());
            assertEquals(List.of("index: NUMBER", "node_id: STRING", "protocol_versions: STRING", "state: STRING",
                    "state_sync: OBJECT"), keys(doc.path("this_replica")));
            assertEquals("syncing", doc.path("this_replica").path("state").asText());
            assertEquals(List.of("height: NUMBER", "block_hash: STRING", "state_hash: STRING",
                    "registry_version: NUMBER", "signers: ARRAY", "committee_size: NUMBER"), keys(doc.path("newest_cup")));
            assertEquals("[0,2,3]", doc.path("newest_cup").path("signers").toString());
            assertEquals(List.of("format: NUMBER", "checkpoints: ARRAY", "file_bytes: NUMBER"), keys(doc.path("store")),
                    "an empty store has no height range");
            assertEquals(List.of("index: NUMBER", "node_id: STRING", "public_key: STRING", "address: STRING",
                    "state: STRING"), keys(doc.path("replicas").get(0)), "its own row, while it syncs");
            List<String> peer = keys(doc.path("replicas").get(1));
            // whether a connection attempt has failed yet is a race; if it has, the row says why
            peer.remove("last_error: STRING");
            assertEquals(List.of("index: NUMBER", "node_id: STRING", "public_key: STRING", "address: STRING",
                    "state: STRING", "outbound: BOOLEAN", "inbound: BOOLEAN", "frames_sent: NUMBER",
                    "frames_dropped: NUMBER", "frames_received: NUMBER"), peer);
            assertEquals("unreachable", doc.path("replicas").get(1).path("state").asText());
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private static Hash hash(int fill) {
        byte[] b = new byte[32];
        java.util.Arrays.fill(b, (byte) fill);
        return Hash.wrap(b);
    }

    /** The object's keys in document order, each with the JSON type of its value. */
    private static List<String> keys(JsonNode object) {
        List<String> out = new ArrayList<>();
        object.properties().forEach(e -> out.add(e.getKey() + ": " + e.getValue().getNodeType()));
        return out;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
