package org.outcalls.replica.internal.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outcalls.crypto.Hash;

/** A backup of an open store is the store as of its last commit, opens on its own, and the store goes on. */
class StoreBackupTest {
    private static final StoreSettings SETTINGS = new StoreSettings(10, 1000, 2, false);

    @TempDir
    Path dir;

    @Test
    void theBackupOfAnOpenStoreHoldsEverythingCommittedAndTheStoreGoesOn() throws Exception {
        Path zip = dir.resolve("snapshot.zip");
        try (ReplicaStore s = ReplicaStore.open(dir.resolve("live"), StoreWriter.SUBNET, StoreWriter.KEY.publicKey(),
                SETTINGS)) {
            write(s, 1, 35);
            s.backupTo(zip);
            write(s, 36, 50); // after the snapshot: not in it
            assertEquals(50, s.chainRange().orElseThrow()[1]);
        }
        Path copy = dir.resolve("copy.mv");
        try (ZipInputStream z = new ZipInputStream(Files.newInputStream(zip))) {
            assertEquals("store.mv", z.getNextEntry().getName());
            try (InputStream in = z) {
                Files.copy(in, copy);
            }
        }
        StoreSummary sum = StoreSummary.of(copy);
        assertEquals(java.util.HexFormat.of().formatHex(StoreWriter.SUBNET), sum.subnetId());
        assertEquals(StoreWriter.KEY.publicKey(), sum.node());
        assertArrayEquals(new long[] {1, 35}, sum.chainRange().orElseThrow());
        assertEquals(List.of(20L, 30L), sum.checkpoints());
        ReplicaStore.Checkpoint cp = sum.latestCheckpoint().orElseThrow();
        assertEquals(30, cp.height());
        assertArrayEquals(StoreWriter.state(30), cp.bytes());
        // and the copy opens as the replica's own store
        Files.createDirectories(dir.resolve("restored2"));
        Files.copy(copy, dir.resolve("restored2").resolve("store.mv"));
        try (ReplicaStore restored = ReplicaStore.open(dir.resolve("restored2"), StoreWriter.SUBNET,
                StoreWriter.KEY.publicKey(), SETTINGS)) {
            assertEquals(35, restored.chainRange().orElseThrow()[1]);
            assertEquals(StoreWriter.height(35).hash(), restored.archived(35).hash());
        }
    }

    @Test
    void aFileThatIsNotAReplicaStoreIsNamedAsSuch() throws Exception {
        Path junk = dir.resolve("junk.mv");
        Files.write(junk, new byte[10_000]);
        IOException e = assertThrows(IOException.class, () -> StoreSummary.of(junk));
        assertEquals(true, e.getMessage().contains("junk.mv"), e.getMessage());
    }

    private static void write(ReplicaStore s, long from, long to) {
        for (long h = from; h <= to; h++) {
            s.signed(h, StoreWriter.frame(h, 1));
            s.finalized(StoreWriter.height(h));
            if (s.checkpointDue(h)) {
                byte[] state = StoreWriter.state(h);
                s.checkpoint(h, Hash.sha256(state).bytes(), state);
            }
        }
    }
}
