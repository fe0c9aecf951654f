package org.outcalls.replica.internal.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.h2.mvstore.MVStore;
import org.outcalls.crypto.PublicKey;

/**
 * What a store file holds, read without changing it: whose store it is and what it keeps. Backup
 * and restore check an archive's store with it before they trust it.
 */
public record StoreSummary(String subnetId, PublicKey node, Optional<long[]> chainRange, List<Long> checkpoints,
                           Optional<ReplicaStore.Checkpoint> latestCheckpoint) {

    /**
     * Opens {@code file} read-only and says whose store it is and what it holds; the newest
     * checkpoint is read back and checked against its recorded hash.
     *
     * @throws IOException if it is not a replica store of a format this release reads
     */
    public static StoreSummary of(Path file) throws IOException {
        MVStore mv;
        try {
            mv = new MVStore.Builder().fileName(file.toString()).readOnly().open();
        } catch (RuntimeException e) {
            throw new IOException("cannot open " + file + " as a replica store: " + e.getMessage(), e);
        }
        try {
            if (!mv.hasMap("meta") || !mv.hasMap("chain") || !mv.hasMap("signed") || !mv.hasMap("checkpoints")) {
                throw new IOException(file + " is an MVStore file but not a replica store");
            }
            ReplicaStore s = ReplicaStore.readOnly(file, mv);
            StoreFormat.checkReadable(file, StoreFormat.recorded(file, s.meta())); // read as it is: both formats read alike
            return new StoreSummary(HexFormat.of().formatHex(s.meta().get("subnet")), PublicKey.wrap(s.meta().get("node")),
                    s.chainRange(), s.checkpointHeights(), s.latestCheckpoint());
        } catch (RuntimeException e) {
            throw new IOException(file + " does not read as a replica store: " + e.getMessage(), e);
        } finally {
            mv.closeImmediately();
        }
    }
}
