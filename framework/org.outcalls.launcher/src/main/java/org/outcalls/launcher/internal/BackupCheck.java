package org.outcalls.launcher.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.outcalls.crypto.PublicKey;
import org.outcalls.replica.internal.backup.BackupArchive;
import org.outcalls.replica.internal.backup.BackupManifest;
import org.outcalls.replica.internal.store.StoreSummary;
import org.outcalls.replica.multihost.ReplicaConfig;

/**
 * Whether an archive is a sound backup of the replica a configuration describes: intact (tar
 * headers, sizes, SHA-256 of every file, gzip CRC), of that subnet and that node key, and its store
 * opens and says the same. Unpacks into a folder the caller chooses, so a restore can keep the result.
 */
final class BackupCheck {
    private BackupCheck() {
    }

    /** Why an archive is refused, in a sentence. */
    static final class Unsound extends IOException {
        private static final long serialVersionUID = 1L;

        Unsound(String message) {
            super(message);
        }
    }

    /** Checks {@code archive} by unpacking it into a temporary folder that is removed afterwards. */
    static BackupManifest verify(Path archive, ReplicaConfig rc) throws IOException {
        Path dir = Files.createTempDirectory("outcalls-backup-check-");
        try {
            return unpack(archive, rc, dir);
        } finally {
            deleteTree(dir);
        }
    }

    /** Unpacks into the empty folder {@code dir} and checks; on {@link Unsound} the folder holds partial files. */
    static BackupManifest unpack(Path archive, ReplicaConfig rc, Path dir) throws IOException {
        BackupManifest m;
        try (InputStream in = Files.newInputStream(archive)) {
            m = BackupArchive.extract(in, dir);
        } catch (BackupArchive.Damaged e) {
            throw new Unsound(archive + " is damaged: " + e.getMessage());
        }
        if (!m.subnetId().equals(rc.subnetId())) {
            throw new Unsound(archive + " is a backup of subnet " + m.subnetId() + ", but " + rc.file() + " is replica "
                    + rc.replica() + " of subnet " + rc.subnetId());
        }
        PublicKey self = rc.member().publicKey();
        if (!m.nodePublicKey().equals(self.hex())) {
            throw new Unsound(archive + " is a backup of node " + m.nodeId() + " (replica " + m.replica() + "), but "
                    + rc.file() + " is node " + self.nodeId() + " (replica " + rc.replica() + "): a replica restores only "
                    + "its own backups (to seed a new host from another replica's store, see 'Replacing a failed host')");
        }
        StoreSummary s;
        try {
            s = StoreSummary.of(dir.resolve(BackupArchive.STORE));
        } catch (IOException e) {
            throw new Unsound(archive + " holds a store that does not open: " + e.getMessage());
        }
        if (!s.subnetId().equals(m.subnetId()) || !s.node().equals(self)) {
            throw new Unsound(archive + ": its store belongs to subnet " + s.subnetId() + " and node " + s.node().nodeId()
                    + ", not to what its manifest says (subnet " + m.subnetId() + ", node " + m.nodeId() + ")");
        }
        long[] range = s.chainRange().orElse(new long[] {0, 0});
        if (range[0] != m.lowestHeight() || range[1] != m.highestHeight()) {
            throw new Unsound(archive + ": its store keeps finalized heights " + range[0] + ".." + range[1]
                    + ", its manifest says " + m.lowestHeight() + ".." + m.highestHeight());
        }
        return m;
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
