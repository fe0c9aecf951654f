package org.outcalls.replica.internal.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Store formats across releases. The fixture {@code store-format-1/store.mv} was written by the
 * release before format 2 (main's {@code ReplicaStore}, format 1): 25 finalized heights, checkpoints
 * with catch-up packages at 10 and 20, two own artifacts at height 26.
 */
class StoreFormatTest {
    private static final StoreSettings KEEP = new StoreSettings(10, 1000, 2, false, 0);

    @TempDir
    Path dir;

    @BeforeEach
    void copyFixture() throws IOException {
        try (InputStream in = StoreFormatTest.class.getResourceAsStream("/store-format-1/store.mv")) {
            Files.copy(in, dir.resolve("store.mv"));
        }
    }

    private ReplicaStore open() throws IOException {
        return ReplicaStore.open(dir, StoreWriter.SUBNET, StoreWriter.KEY.publicKey(), KEEP);
    }

    @Test
    void aFormatOneStoreIsMigratedInOneCommitAndKeepsEverything() throws Exception {
        assertEquals(1, recordedFormat());
        long before = System.currentTimeMillis();
        try (ReplicaStore s = open()) {
            assertEquals(2, s.format());
            assertEverythingOfTheFixtureIsThere(s);
        }
        assertEquals(2, recordedFormat());
        List<long[]> history = history();
        assertEquals(2, history.size());
        assertArrayEquals(new long[] {1, 0}, history.get(0), "format 1 did not record when it was written");
        assertEquals(2, history.get(1)[0]);
        assertTrue(history.get(1)[1] >= before, "the migration's time");
        try (ReplicaStore s = open()) {
            assertEverythingOfTheFixtureIsThere(s);
        }
        assertEquals(2, history().size(), "a store of the current format is not migrated again");
    }

    @Test
    void aCrashMidMigrationLeavesFormatOneReadableAndTheNextStartMigrates() throws Exception {
        Process p = opener(List.of("-Doutcalls.crashpoint=" + CrashPoints.MIGRATION));
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(137, p.exitValue(), "halted after migrating in memory, before the commit: "
                + Files.readString(dir.resolveSibling(dir.getFileName() + ".writer.log")));
        assertEquals(1, recordedFormat(), "nothing of the migration reached the file");
        assertEquals(1, history().size());
        try (ReplicaStore s = open()) {
            assertEquals(2, s.format());
            assertEverythingOfTheFixtureIsThere(s);
        }
        assertEquals(2, recordedFormat());
    }

    @Test
    void aNewerFormatIsRefusedWithWhatToDo() throws Exception {
        setRecordedFormat(3);
        IOException e = assertThrows(IOException.class, this::open);
        assertTrue(e.getMessage().startsWith("store format 3 is newer than this release reads (2): upgrade the replica"),
                e.getMessage());
        IOException s = assertThrows(IOException.class, () -> StoreSummary.of(dir.resolve("store.mv")));
        assertTrue(s.getMessage().contains("store format 3 is newer than this release reads (2)"), s.getMessage());
        assertEquals(3, recordedFormat(), "a refused store is not touched");
    }

    @Test
    void aFormatOlderThanTheOldestReadIsRefused() throws Exception {
        setRecordedFormat(0);
        IOException e = assertThrows(IOException.class, this::open);
        assertTrue(e.getMessage().startsWith("store format 0 is older than this release reads (1..2)"), e.getMessage());
    }

    @Test
    void aFormatOneStoreSummarizesWithoutBeingChanged() throws Exception {
        StoreSummary s = StoreSummary.of(dir.resolve("store.mv"));
        assertEquals(List.of(10L, 20L), s.checkpoints());
        assertEquals(1, recordedFormat());
    }

    private static void assertEverythingOfTheFixtureIsThere(ReplicaStore s) {
        assertArrayEquals(new long[] {1, 25}, s.chainRange().orElseThrow());
        for (long h = 1; h <= 25; h++) {
            assertEquals(StoreWriter.height(h).hash(), s.archived(h).hash(), "height " + h);
        }
        assertEquals(List.of(10L, 20L), s.checkpointHeights());
        ReplicaStore.Checkpoint c = s.latestCheckpoint().orElseThrow();
        assertEquals(20, c.height());
        assertArrayEquals(("state at 20").repeat(100).getBytes(), c.bytes());
        assertArrayEquals("cup 20".getBytes(), s.newestCup().orElseThrow());
        List<byte[]> own = s.signedAbove(25);
        assertEquals(2, own.size());
        assertArrayEquals(StoreWriter.frame(26, 1), own.get(0));
        assertArrayEquals(StoreWriter.frame(26, 2), own.get(1));
    }

    private int recordedFormat() {
        MVStore mv = new MVStore.Builder().fileName(dir.resolve("store.mv").toString()).readOnly().open();
        try {
            return mv.<String, byte[]>openMap("meta").get("format")[0];
        } finally {
            mv.closeImmediately();
        }
    }

    private List<long[]> history() throws IOException {
        MVStore mv = new MVStore.Builder().fileName(dir.resolve("store.mv").toString()).readOnly().open();
        try {
            return StoreFormat.history(mv.openMap("meta"));
        } finally {
            mv.closeImmediately();
        }
    }

    private void setRecordedFormat(int format) {
        MVStore mv = new MVStore.Builder().fileName(dir.resolve("store.mv").toString()).open();
        MVMap<String, byte[]> meta = mv.openMap("meta");
        meta.put("format", new byte[] {(byte) format});
        mv.commit();
        mv.close();
    }

    /** A child JVM that opens the store (and writes nothing more): {@link StoreWriter} up to height 0. */
    private Process opener(List<String> jvmArgs) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(StoreWriter.class.getName());
        cmd.add(dir.toString());
        cmd.add("0");
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolveSibling(dir.getFileName()
                + ".writer.log").toFile()).start();
    }
}
