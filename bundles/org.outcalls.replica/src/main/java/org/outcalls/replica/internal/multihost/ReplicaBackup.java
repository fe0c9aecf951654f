package org.outcalls.replica.internal.multihost;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.outcalls.crypto.Hash;
import org.outcalls.crypto.PublicKey;
import org.outcalls.replica.Replica;
import org.outcalls.replica.internal.backup.BackupArchive;
import org.outcalls.replica.internal.backup.BackupManifest;
import org.outcalls.replica.internal.control.ControlEndpoint;
import org.outcalls.replica.internal.node.ReplicaNode;
import org.outcalls.replica.internal.store.ReplicaStore;
import org.outcalls.replica.internal.store.StoreSummary;
import org.outcalls.replica.multihost.ReplicaConfig;
import org.outcalls.transport.ProtocolThread;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running replica's backup. The snapshot is taken on the protocol thread — the only thread that
 * writes the store — with {@link ReplicaStore#backupTo}: consensus and execution pause for exactly
 * that local copy, and no commit can land in the middle of it, so the copy is the store as its last
 * commit left it. Everything slower (unpacking, checking that the copy opens and its newest
 * checkpoint reads back, hashing, compressing, sending) happens afterwards on the control thread,
 * in {@code <data>/backup-tmp-*} (deleted afterwards, and at the next start if the process died).
 */
final class ReplicaBackup implements ControlEndpoint.BackupSource {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaBackup.class);
    static final String WORK_PREFIX = "backup-tmp-";

    private final ReplicaConfig config;
    private final ProtocolThread thread;
    private final ReplicaStore store;
    private final Supplier<ReplicaNode> node;

    ReplicaBackup(ReplicaConfig config, ProtocolThread thread, ReplicaStore store, Supplier<ReplicaNode> node) {
        this.config = config;
        this.thread = thread;
        this.store = store;
        this.node = node;
    }

    private record Snapshot(long executedHeight, String stateHash, long pauseMillis) {
    }

    @Override
    public ControlEndpoint.PreparedBackup prepare() throws Exception {
        Path work = Files.createTempDirectory(config.data(), WORK_PREFIX);
        try {
            Path zip = work.resolve("snapshot.zip");
            CompletableFuture<Snapshot> taken = new CompletableFuture<>();
            thread.execute(() -> {
                try {
                    ReplicaNode running = node.get();
                    if (running == null) {
                        throw new IllegalStateException("the replica is syncing its state from its peers: nothing"
                                + " consistent to back up yet; try again when it is ready (GET /readyz)");
                    }
                    long t0 = System.nanoTime();
                    store.backupTo(zip);
                    Replica r = running.replica();
                    taken.complete(new Snapshot(r.height(), Hash.wrap(r.stateHash()).hex(),
                            (System.nanoTime() - t0) / 1_000_000));
                } catch (Throwable t) {
                    taken.completeExceptionally(t);
                }
            });
            Snapshot snap = taken.get(10, TimeUnit.MINUTES);
            Path mv = work.resolve("store.mv");
            unzip(zip, mv);
            Files.delete(zip);
            StoreSummary s = StoreSummary.of(mv);
            PublicKey self = config.member().publicKey();
            if (!s.subnetId().equals(config.subnetId()) || !s.node().equals(self)) {
                throw new IOException("the snapshot names subnet " + s.subnetId() + " and node " + s.node().nodeId()
                        + ", not this replica's");
            }
            Map<String, Path> files = new LinkedHashMap<>();
            files.put(BackupArchive.STORE, mv);
            Path gatewayKey = config.data().resolve(BackupArchive.GATEWAY_KEY);
            if (Files.isRegularFile(gatewayKey)) {
                Path copy = work.resolve(BackupArchive.GATEWAY_KEY);
                Files.copy(gatewayKey, copy);
                files.put(BackupArchive.GATEWAY_KEY, copy);
            }
            Map<String, BackupManifest.FileEntry> entries = new LinkedHashMap<>();
            for (Map.Entry<String, Path> f : files.entrySet()) {
                entries.put(f.getKey(), BackupArchive.describe(f.getValue()));
            }
            long[] range = s.chainRange().orElse(new long[] {0, 0});
            BackupManifest m = new BackupManifest(BackupManifest.FORMAT, Instant.now().toString(), s.subnetId(),
                    config.replica(), self.nodeId(), self.hex(), range[0], range[1], s.checkpoints(),
                    snap.executedHeight(), snap.stateHash(), entries);
            LOG.info("backup: store snapshot at finalized height {} ({} bytes; consensus paused {} ms for the copy)",
                    range[1], entries.get(BackupArchive.STORE).bytes(), snap.pauseMillis());
            return new Prepared(m, files, work);
        } catch (Exception | Error e) {
            deleteTree(work);
            throw e;
        }
    }

    private record Prepared(BackupManifest manifest, Map<String, Path> files, Path work)
            implements ControlEndpoint.PreparedBackup {
        @Override
        public void writeTo(OutputStream out) throws IOException {
            BackupArchive.write(manifest, files, out);
        }

        @Override
        public void close() {
            deleteTree(work);
        }
    }

    private static void unzip(Path zip, Path target) throws IOException {
        try (ZipInputStream z = new ZipInputStream(Files.newInputStream(zip))) {
            ZipEntry e = z.getNextEntry();
            if (e == null) {
                throw new IOException("MVStore's backup wrote no entry");
            }
            try (InputStream in = z) {
                Files.copy(in, target);
            }
        }
    }

    /** Removes what a backup left behind when the process died during one. */
    static void deleteLeftovers(Path data) {
        if (!Files.isDirectory(data)) {
            return;
        }
        try (Stream<Path> s = Files.list(data)) {
            s.filter(p -> p.getFileName().toString().startsWith(WORK_PREFIX)).forEach(ReplicaBackup::deleteTree);
        } catch (IOException e) {
            LOG.warn("cannot list {} for backup leftovers: {}", data, e.toString());
        }
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warn("cannot delete {}: {}", dir, e.toString());
        }
    }
}
