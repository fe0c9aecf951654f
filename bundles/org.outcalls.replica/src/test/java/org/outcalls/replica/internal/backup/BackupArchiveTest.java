package org.outcalls.replica.internal.backup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Backup archives round-trip, read with the system's tar, and any damage is refused with what is wrong. */
class BackupArchiveTest {
    @TempDir
    Path dir;

    private byte[] archive(Map<String, Path> files, java.util.function.UnaryOperator<BackupManifest> edit) throws Exception {
        Map<String, BackupManifest.FileEntry> entries = new LinkedHashMap<>();
        for (Map.Entry<String, Path> f : files.entrySet()) {
            entries.put(f.getKey(), BackupArchive.describe(f.getValue()));
        }
        BackupManifest m = edit.apply(new BackupManifest(1, "2026-01-01T00:00:00Z", "ab".repeat(32), 2, "node-x",
                "cd".repeat(32), 1, 40, List.of(30L, 40L), 40, "ef".repeat(32), entries));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BackupArchive.write(m, files, out);
        return out.toByteArray();
    }

    private Map<String, Path> files() throws Exception {
        byte[] store = new byte[700_001];
        new Random(7).nextBytes(store);
        Path s = Files.write(dir.resolve("store.mv"), store);
        Path k = Files.write(dir.resolve("gateway.key"), "key bytes".getBytes());
        Map<String, Path> files = new LinkedHashMap<>();
        files.put(BackupArchive.STORE, s);
        files.put(BackupArchive.GATEWAY_KEY, k);
        return files;
    }

    @Test
    void anArchiveRoundTripsAndItsManifestSaysWhoseItIs() throws Exception {
        byte[] a = archive(files(), m -> m);
        Path out = Files.createDirectory(dir.resolve("out"));
        BackupManifest m = BackupArchive.extract(new ByteArrayInputStream(a), out);
        assertEquals(2, m.replica());
        assertEquals(List.of(30L, 40L), m.checkpoints());
        assertArrayEquals(Files.readAllBytes(dir.resolve("store.mv")), Files.readAllBytes(out.resolve("store/store.mv")));
        assertArrayEquals("key bytes".getBytes(), Files.readAllBytes(out.resolve("gateway.key")));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(out.resolve("gateway.key"))), "a key a replica will load must be its own");
    }

    @Test
    void theSystemTarReadsIt() throws Exception {
        Path a = Files.write(dir.resolve("b.tar.gz"), archive(files(), m -> m));
        Process p;
        try {
            p = new ProcessBuilder("tar", "tzf", a.toString()).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            Assumptions.abort("no tar on this machine: " + e.getMessage());
            return;
        }
        String listing = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), listing);
        assertEquals(List.of(BackupManifest.NAME, "store/store.mv", "gateway.key"), listing.lines().toList());
    }

    @Test
    void aFlippedByteAnywhereIsRefused() throws Exception {
        byte[] good = archive(files(), m -> m);
        for (int at : new int[] {10, 300, good.length / 2, good.length - 5}) {
            byte[] bad = good.clone();
            bad[at] ^= 0x40;
            Path out = Files.createTempDirectory(dir, "x");
            assertThrows(BackupArchive.Damaged.class, () -> BackupArchive.extract(new ByteArrayInputStream(bad), out),
                    "byte " + at);
        }
    }

    @Test
    void aTruncatedArchiveIsRefused() throws Exception {
        byte[] good = archive(files(), m -> m);
        byte[] cut = java.util.Arrays.copyOf(good, good.length * 2 / 3);
        BackupArchive.Damaged e = assertThrows(BackupArchive.Damaged.class,
                () -> BackupArchive.extract(new ByteArrayInputStream(cut), Files.createDirectory(dir.resolve("o"))));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void aFileThatDoesNotMatchItsManifestIsNamed() throws Exception {
        byte[] a = archive(files(), m -> new BackupManifest(m.format(), m.createdAt(), m.subnetId(), m.replica(), m.nodeId(),
                m.nodePublicKey(), m.lowestHeight(), m.highestHeight(), m.checkpoints(), m.executedHeight(), m.stateHash(),
                Map.of(BackupArchive.STORE, m.files().get(BackupArchive.STORE), BackupArchive.GATEWAY_KEY,
                        new BackupManifest.FileEntry(9, "00".repeat(32)))));
        BackupArchive.Damaged e = assertThrows(BackupArchive.Damaged.class,
                () -> BackupArchive.extract(new ByteArrayInputStream(a), Files.createDirectory(dir.resolve("o"))));
        assertTrue(e.getMessage().startsWith("gateway.key has 9 bytes with SHA-256 "), e.getMessage());
    }

    @Test
    void somethingElseIsNotABackup() throws Exception {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (var z = new java.util.zip.GZIPOutputStream(gz)) {
            z.write(TarOutput.header("etc/passwd", 0, 0644, 0));
            z.write(new byte[1024]);
        }
        BackupArchive.Damaged e = assertThrows(BackupArchive.Damaged.class, () -> BackupArchive.extract(
                new ByteArrayInputStream(gz.toByteArray()), Files.createDirectory(dir.resolve("o"))));
        assertEquals("the archive does not start with outcalls-backup.json: not an outcalls backup", e.getMessage());
        assertThrows(BackupArchive.Damaged.class, () -> BackupArchive.extract(new ByteArrayInputStream("plain text".getBytes()),
                Files.createDirectory(dir.resolve("p"))));
    }
}
